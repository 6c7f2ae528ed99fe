import { createHash } from 'node:crypto';
import CircuitBreaker from 'opossum';
import type { PolicyViolation } from '../contract/vocabulary';
import { breachedViolation } from '../domain/passwordPolicy';

/**
 * A client of the Pwned Passwords range API (Have I Been Pwned's k-anonymity protocol): a password's SHA-1 is
 * looked up by sending only its first 5 hex characters, `GET {base}/range/{prefix}` with `Add-Padding: true`,
 * and reading the `SUFFIX:COUNT` lines back; padded lines (count 0) are ignored. Only the prefix ever leaves
 * the process: never the password, its full hash or its suffix, and none of them is logged or counted.
 *
 * Availability first: a lookup has a 2 s budget and reads at most 1 MiB; an unreachable, slow, redirecting or
 * malformed answer lets the password through (`unknown`), counted by outcome. Range answers are cached in
 * process for a bounded time and number of prefixes, so a burst of sign-ins is not a burst of lookups.
 *
 * A range API that keeps failing is not asked at all for a while (a circuit breaker, opossum's): once half of
 * the lookups of the last 10 s have failed (of at least 10), lookups are skipped (`circuit_open`, the
 * password let through at once instead of after the full 2 s) for 30 s; then one lookup tries the API again,
 * and its success closes the circuit.
 */
export const BREACH_LOOKUP_OUTCOMES = ['breached', 'clean', 'cached_breached', 'cached_clean', 'timeout', 'unreachable', 'malformed', 'circuit_open'] as const;
export type BreachLookupOutcome = (typeof BREACH_LOOKUP_OUTCOMES)[number];

export interface BreachedPasswordChecker {
  /** true: found in a breach; false: not found; undefined: the lookup failed (fail open) */
  isBreached(password: string): Promise<boolean | undefined>;
}

export interface RangeClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  maxAnswerBytes?: number;
  cacheTtlMs?: number;
  cacheMaxPrefixes?: number;
  /** the circuit breaker: failed share of the window's lookups that opens it (default 50 %), the fewest lookups
   * in the window before it may open (10), the window (10 s), and how long it stays open (30 s) */
  breaker?: { errorThresholdPercentage?: number; volumeThreshold?: number; rollingCountTimeoutMs?: number; resetTimeoutMs?: number };
  /** each lookup's outcome (a metric; never the prefix) */
  observe?: (outcome: BreachLookupOutcome) => void;
  /** a failed lookup, without the prefix */
  onFailure?: (outcome: BreachLookupOutcome, error: string) => void;
}

const LINE = /^([0-9A-F]{35}):(\d+)$/;

export class PwnedPasswordsClient implements BreachedPasswordChecker {
  private readonly cache = new Map<string, { suffixes: Set<string>; until: number }>();
  private readonly base: string;
  private readonly breaker: CircuitBreaker<[string], Set<string>>;

  constructor(private readonly o: RangeClientOptions) {
    this.base = o.baseUrl.replace(/\/+$/, '');
    const b = o.breaker ?? {};
    this.breaker = new CircuitBreaker((prefix: string) => this.fetchRange(prefix), {
      timeout: false, // fetchRange has its own budget, and aborts the request when it runs out
      errorThresholdPercentage: b.errorThresholdPercentage ?? 50,
      volumeThreshold: b.volumeThreshold ?? 10,
      rollingCountTimeout: b.rollingCountTimeoutMs ?? 10_000,
      resetTimeout: b.resetTimeoutMs ?? 30_000,
    });
    // said once when it opens, not for every lookup it skips
    this.breaker.on('open', () => o.onFailure?.('circuit_open', `the range API keeps failing: lookups are skipped for ${Math.round((b.resetTimeoutMs ?? 30_000) / 1000)} s`));
  }

  /** the breaker's state, for tests and diagnostics */
  get circuit(): 'closed' | 'open' | 'half_open' {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  async isBreached(password: string): Promise<boolean | undefined> {
    const sha1 = createHash('sha1').update(password.normalize('NFKC'), 'utf8').digest('hex').toUpperCase();
    const prefix = sha1.slice(0, 5);
    const suffix = sha1.slice(5);
    const now = Date.now();
    const cached = this.cache.get(prefix);
    if (cached && cached.until > now) {
      const hit = cached.suffixes.has(suffix);
      this.o.observe?.(hit ? 'cached_breached' : 'cached_clean');
      return hit;
    }
    let suffixes: Set<string>;
    try {
      suffixes = await this.breaker.fire(prefix);
    } catch (err) {
      const outcome: BreachLookupOutcome =
        err instanceof LookupFailure ? err.outcome : (err as { code?: unknown } | null)?.code === 'EOPENBREAKER' ? 'circuit_open' : 'unreachable';
      if (outcome === 'circuit_open') {
        this.o.observe?.(outcome);
        return undefined;
      }
      this.o.observe?.(outcome);
      this.o.onFailure?.(outcome, err instanceof Error ? err.message : String(err));
      return undefined;
    }
    this.remember(prefix, suffixes, now);
    const hit = suffixes.has(suffix);
    this.o.observe?.(hit ? 'breached' : 'clean');
    return hit;
  }

  private remember(prefix: string, suffixes: Set<string>, now: number): void {
    const max = this.o.cacheMaxPrefixes ?? 10_000;
    if (this.cache.size >= max) {
      // drop the oldest entry (a Map keeps insertion order)
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.delete(prefix);
    this.cache.set(prefix, { suffixes, until: now + (this.o.cacheTtlMs ?? 10 * 60_000) });
  }

  private async fetchRange(prefix: string): Promise<Set<string>> {
    const timeoutMs = this.o.timeoutMs ?? 2_000;
    const maxBytes = this.o.maxAnswerBytes ?? 1024 * 1024;
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.base}/range/${prefix}`, { headers: { 'Add-Padding': 'true', 'User-Agent': 'resetflow' }, redirect: 'manual', signal });
    } catch (err) {
      throw new LookupFailure(signal.aborted ? 'timeout' : 'unreachable', 'the range API did not answer');
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new LookupFailure('unreachable', `the range API answered ${res.status}`);
    }
    const text = await readBounded(res, maxBytes, signal).catch((err: unknown) => {
      throw err instanceof LookupFailure ? err : new LookupFailure(signal.aborted ? 'timeout' : 'unreachable', 'the answer was cut off');
    });
    const suffixes = new Set<string>();
    let lines = 0;
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      const m = LINE.exec(line.toUpperCase());
      if (!m) throw new LookupFailure('malformed', 'a line of the answer is not SUFFIX:COUNT');
      lines++;
      if (Number(m[2]) > 0) suffixes.add(m[1]!);
    }
    if (lines === 0) throw new LookupFailure('malformed', 'the answer is empty');
    return suffixes;
  }
}

class LookupFailure extends Error {
  constructor(readonly outcome: BreachLookupOutcome, message: string) {
    super(message);
  }
}

async function readBounded(res: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    if (signal.aborted) throw new LookupFailure('timeout', 'the answer took too long');
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new LookupFailure('malformed', 'the answer is larger than allowed');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The checker when lookups are off (PWNED_PASSWORDS_URL=off): nothing is ever found. */
export const NO_BREACH_CHECK: BreachedPasswordChecker = { isBreached: async () => false };

/** The checker a process uses: the range API at `url`, or none (`undefined`: lookups off). */
export function createBreachChecker(
  url: string | undefined,
  counter: { breachLookup(outcome: BreachLookupOutcome): void },
  onFailure?: (outcome: BreachLookupOutcome, error: string) => void,
): BreachedPasswordChecker {
  if (!url) return NO_BREACH_CHECK;
  return new PwnedPasswordsClient({ baseUrl: url, observe: (o) => counter.breachLookup(o), ...(onFailure ? { onFailure } : {}) });
}

/**
 * The `breached` rule for a password that passed every other rule, when the tenant's policy blocks breached
 * passwords; a failed lookup finds nothing (fail open).
 */
export async function breachViolations(checker: BreachedPasswordChecker, policy: { blockBreachedPasswords: boolean }, password: string, others: readonly PolicyViolation[] = []): Promise<PolicyViolation[]> {
  if (!policy.blockBreachedPasswords || others.length > 0) return [];
  return (await checker.isBreached(password)) === true ? [breachedViolation()] : [];
}
