import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../db/pool';
import type { LimiterName, ServiceMetrics } from '../observability/metrics';
import type { RateLimited } from './failures';

/**
 * Attempt limits kept in PostgreSQL (table `rate_limits`), so every API replica
 * shares them. Per IP on every credential endpoint, per account for sign-in
 * failures, per link or change token for submissions. Every refusal is counted
 * by limiter (`resetflow_rate_limited_total`).
 */
export interface Limiter {
  name: LimiterName;
  store: RateLimiterPostgres;
  /** told of every refusal */
  onRefused: () => void;
}

export interface RateLimits {
  perIp: Limiter;
  accountFailures: Limiter;
  perCredential: Limiter;
  resetRequests: Limiter;
}

export function createRateLimits(pool: Pool, o: { perIp: number; perAccount: number }, metrics?: Pick<ServiceMetrics, 'rateLimited'>): RateLimits {
  const make = (name: LimiterName, keyPrefix: string, points: number, duration: number): Limiter => ({
    name,
    store: new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration }),
    onRefused: () => metrics?.rateLimited(name),
  });
  return {
    perIp: make('ip', 'ip', o.perIp, 60),
    accountFailures: make('account', 'account', o.perAccount, 15 * 60),
    perCredential: make('credential', 'credential', 10, 60 * 60),
    resetRequests: make('reset_request', 'reset-request', 5, 60 * 60),
  };
}

function limited(limiter: Limiter, res: RateLimiterRes): RateLimited {
  limiter.onRefused();
  return { ok: false, code: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Spend one attempt; the refusal when none is left. */
export async function consume(limiter: Limiter, key: string): Promise<RateLimited | undefined> {
  try {
    await limiter.store.consume(key);
    return undefined;
  } catch (err) {
    if (err instanceof RateLimiterRes) return limited(limiter, err);
    throw err;
  }
}

/** Refuse when the key has used up its points, without spending one (failures are counted separately). */
export async function checkNotBlocked(limiter: Limiter, key: string): Promise<RateLimited | undefined> {
  const res = await limiter.store.get(key);
  return res && res.consumedPoints >= limiter.store.points ? limited(limiter, res) : undefined;
}

export async function recordFailure(limiter: Limiter, key: string): Promise<void> {
  await limiter.store.penalty(key, 1);
}

/** Forget the key's spent points (a successful sign-in clears its failures). */
export async function forget(limiter: Limiter, key: string): Promise<void> {
  await limiter.store.delete(key);
}
