import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
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
 * The operation id of a request that carries an `Idempotency-Key`: derived from what it acts on and the
 * request's operation key (its caller, the key, and the claim's random seed: see `operationKey`), so a
 * retried request (after a timeout, say) joins the workflow the first one started instead of starting a
 * second one, while the same key from another caller, or after the retention, is a new operation.
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

/** The key request fingerprints are MACs under: derived from SECRETS_KEY, for this use only. */
export function fingerprintKey(secretsKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), 'resetflow idempotency request fingerprint', 32));
}

/**
 * What identifies "the same request": method, path and body (the key's owner is the caller), as an
 * HMAC-SHA-256 under a key derived from SECRETS_KEY: a body holding a temporary password is never kept
 * as a bare hash an offline dictionary could reverse.
 */
export function requestFingerprint(key: Buffer, method: string, path: string, body: unknown): Buffer {
  return createHmac('sha256', key).update(`${method} ${path}\n${canonicalJson(body)}`).digest();
}

/** The operation key services derive operation ids from: unique per caller, key and claim. */
export function operationKey(p: { owner: string; key: string; seed: Buffer }): string {
  return `${p.owner}\n${p.seed.toString('hex')}\n${p.key}`;
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
  return claimIdempotencyKey(deps.pool, { ...p, seed: randomBytes(16), now, lockMs: LOCK_MS, ttlMs: RETENTION_MS });
}

export async function completeKey(deps: KeyDeps, p: { owner: string; key: string; response: StoredResponse }): Promise<void> {
  await completeIdempotencyKey(deps.pool, p);
}

export async function releaseKey(deps: KeyDeps, p: { owner: string; key: string }): Promise<void> {
  await releaseIdempotencyKey(deps.pool, { ...p, now: deps.clock() });
}
