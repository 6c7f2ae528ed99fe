import { createHash } from 'node:crypto';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  type Claim,
  type StoredResponse,
} from '../store/idempotencyKeys';
import type { ServiceDeps } from './deps';

/**
 * The operation id of a request that carries an `Idempotency-Key`: derived from
 * the key and what it acts on, so a retried request (after a timeout, say) joins
 * the workflow the first one started instead of starting a second one.
 */
export function operationIdFor(scope: string, key: string): string {
  const h = createHash('sha256').update(`${scope}\n${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // RFC 9562 version 5-style name-based UUID
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How long a stored outcome is replayed; how long a claim holds before another request may take it over. */
const RETENTION_MS = 24 * 3600 * 1000;
const LOCK_MS = 30_000;

export type { Claim, StoredResponse };

/** What identifies "the same request": method, path and body (the key's owner is the caller). */
export function requestFingerprint(method: string, path: string, body: unknown): Buffer {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest();
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

type KeyDeps = Pick<ServiceDeps, 'pool' | 'clock'>;

export async function claimKey(deps: KeyDeps, p: { owner: string; key: string; fingerprint: Buffer }): Promise<Claim> {
  const now = deps.clock();
  // now and then, drop what has expired (bounded, so no request pays much for it)
  if (Math.random() < 0.01) await purgeExpiredIdempotencyKeys(deps.pool, now);
  return claimIdempotencyKey(deps.pool, { ...p, now, lockMs: LOCK_MS, ttlMs: RETENTION_MS });
}

export async function completeKey(deps: KeyDeps, p: { owner: string; key: string; response: StoredResponse }): Promise<void> {
  await completeIdempotencyKey(deps.pool, p);
}

export async function releaseKey(deps: KeyDeps, p: { owner: string; key: string }): Promise<void> {
  await releaseIdempotencyKey(deps.pool, p);
}
