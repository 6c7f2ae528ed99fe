/**
 * What a database error means for the caller: PostgreSQL is unreachable (a 503, retry
 * later), or the statement can never succeed (bad data: retrying would fail forever).
 */

interface MaybePgError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** SQLSTATE classes and codes of a server that is not there, going away, or full. */
const UNAVAILABLE_SQLSTATES = /^(08|57P0[123]|53300|53400|57014)/;
/** Node's network errors on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** node-postgres's own words for a connection that failed or a statement that timed out. */
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection error and is not queryable|Client was closed|terminating connection/i;

function* chain(err: unknown): Generator<MaybePgError> {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 10; e = (e as MaybePgError).cause, depth++) {
    yield e as MaybePgError;
    if (e instanceof AggregateError) for (const inner of e.errors) yield* chain(inner);
  }
}

/** PostgreSQL did not answer: the caller should say 503 and retry later. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNAVAILABLE_SQLSTATES.test(code) || NETWORK_CODES.has(code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/**
 * A statement that can never succeed as written: a data exception (class 22, e.g. a date
 * PostgreSQL cannot store), an integrity violation (23) or a bad statement (42). Retrying
 * it changes nothing, so an activity that meets one should fail for good.
 *
 * Except a unique or exclusion violation (23505, 23P01): in an idempotent activity that is
 * another attempt of the same step that got there first (a retry racing the attempt it
 * replaced, after a heartbeat timeout, say); the next attempt finds what it wrote. The chaos
 * suite met it: a bulk batch held up past its heartbeat timeout failed the whole run.
 */
const RACE_SQLSTATES = new Set(['23505', '23P01']);

export function isPermanentDatabaseError(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (RACE_SQLSTATES.has(code)) return false;
    if (/^(22|23|42)[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/** The SQLSTATE of a database error, if it is one (never its message: it can quote values). */
export function sqlState(err: unknown): string | undefined {
  for (const e of chain(err)) if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}
