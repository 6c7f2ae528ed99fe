import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../db/pool';
import type { LimiterName, ServiceMetrics } from '../observability/metrics';
import { DependencyUnavailable, type RateLimited } from './failures';

/**
 * Attempt limits kept in PostgreSQL (table `rate_limits`), so every API replica
 * shares them (README, Security: "Throttling"):
 * - per client address, every attempt at a credential endpoint;
 * - per account *and* client address, failed sign-ins: a stranger's guesses throttle
 *   the stranger, not the user signing in from elsewhere;
 * - per account, a ceiling on failed sign-ins from all addresses together, counted per
 *   minute: a distributed attack gets short 429s, and a real user is delayed by at most
 *   that minute, never locked out;
 * - per link or change token, submissions; per account, self-service reset requests.
 * A point is spent before the expensive work (argon2) and refunded when the attempt
 * succeeds, so parallel guesses count like sequential ones. Keys are SHA-256 digests of
 * what they count, so an input of any accepted length throttles the same way. Every
 * refusal is counted by limiter (`resetflow_rate_limited_total`).
 */
export interface Limiter {
  name: LimiterName;
  store: RateLimiterPostgres;
  /** told of every refusal */
  onRefused: () => void;
}

export interface RateLimits {
  perIp: Limiter;
  accountIpFailures: Limiter;
  accountFailureCeiling: Limiter;
  perCredential: Limiter;
  resetRequests: Limiter;
}

export interface RateLimitSettings {
  perIp: number;
  perAccount: number;
  accountCeilingPerMinute: number;
}

export function createRateLimits(pool: Pool, o: RateLimitSettings, metrics?: Pick<ServiceMetrics, 'rateLimited'>): RateLimits {
  const make = (name: LimiterName, keyPrefix: string, points: number, duration: number): Limiter => ({
    name,
    store: new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration }),
    onRefused: () => metrics?.rateLimited(name),
  });
  return {
    perIp: make('ip', 'ip', o.perIp, 60),
    accountIpFailures: make('account_ip', 'account-ip', o.perAccount, 15 * 60),
    accountFailureCeiling: make('account', 'account', o.accountCeilingPerMinute, 60),
    perCredential: make('credential', 'credential', 10, 60 * 60),
    resetRequests: make('reset_request', 'reset-request', 5, 60 * 60),
  };
}

/** A fixed-length key for what is counted (tenant, email, address…). */
export function limiterKey(...parts: (string | null | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex');
}

function limited(limiter: Limiter, res: RateLimiterRes): RateLimited {
  limiter.onRefused();
  return { ok: false, code: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** The limiter's store (PostgreSQL) failing is a 503, never a 500. */
function storeDown(err: unknown): never {
  throw new DependencyUnavailable('postgres', false, { cause: err });
}

/** Spend one attempt; the refusal when none is left. */
export async function consume(limiter: Limiter, key: string): Promise<RateLimited | undefined> {
  try {
    await limiter.store.consume(limiterKey(key));
    return undefined;
  } catch (err) {
    if (err instanceof RateLimiterRes) return limited(limiter, err);
    return storeDown(err);
  }
}

/** Give back an attempt that succeeded (it was spent before the work). */
export async function refund(limiter: Limiter, key: string): Promise<void> {
  await limiter.store.reward(limiterKey(key), 1).catch(storeDown);
}

/** Forget a key's count (a successful sign-in from this address). */
export async function forget(limiter: Limiter, key: string): Promise<void> {
  await limiter.store.delete(limiterKey(key)).catch(storeDown);
}
