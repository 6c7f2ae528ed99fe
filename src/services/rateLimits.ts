import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../db/pool';
import type { RateLimited } from './failures';

/**
 * Attempt limits kept in PostgreSQL (table `rate_limits`), so every API replica
 * shares them. Per IP on every credential endpoint, per account for sign-in
 * failures, per link or change token for submissions.
 */
export interface RateLimits {
  perIp: RateLimiterPostgres;
  accountFailures: RateLimiterPostgres;
  perCredential: RateLimiterPostgres;
  resetRequests: RateLimiterPostgres;
}

export function createRateLimits(pool: Pool, o: { perIp: number; perAccount: number }): RateLimits {
  const make = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration });
  return {
    perIp: make('ip', o.perIp, 60),
    accountFailures: make('account', o.perAccount, 15 * 60),
    perCredential: make('credential', 10, 60 * 60),
    resetRequests: make('reset-request', 5, 60 * 60),
  };
}

function limited(res: RateLimiterRes): RateLimited {
  return { ok: false, code: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Spend one attempt; the refusal when none is left. */
export async function consume(limiter: RateLimiterPostgres, key: string): Promise<RateLimited | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (err) {
    if (err instanceof RateLimiterRes) return limited(err);
    throw err;
  }
}

/** Refuse when the key has used up its points, without spending one (failures are counted separately). */
export async function checkNotBlocked(limiter: RateLimiterPostgres, key: string): Promise<RateLimited | undefined> {
  const res = await limiter.get(key);
  return res && res.consumedPoints >= limiter.points ? limited(res) : undefined;
}

export async function recordFailure(limiter: RateLimiterPostgres, key: string): Promise<void> {
  await limiter.penalty(key, 1);
}
