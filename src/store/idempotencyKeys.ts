import type { Queryable } from '../db/pool';

/**
 * Idempotency keys (draft-ietf-httpapi-idempotency-key-header): the first request with
 * a key claims it; its outcome is stored and replayed to every later request with the
 * same key and the same request. A claim whose process died is taken over once its
 * lock has run out.
 */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  /** `seed`: the claim's random seed, which the request's operation ids derive from (the same for a retry that takes a released claim over) */
  | { state: 'claimed'; seed: Buffer }
  | { state: 'replay'; response: StoredResponse }
  | { state: 'mismatch' }
  | { state: 'busy' };

interface KeyRow {
  fingerprint: Buffer;
  state: 'in_progress' | 'done';
  locked_until: Date;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  expires_at: Date;
  operation_seed: Buffer;
}

export async function claimIdempotencyKey(
  q: Queryable,
  p: { owner: string; key: string; fingerprint: Buffer; seed: Buffer; now: Date; lockMs: number; ttlMs: number },
): Promise<Claim> {
  const lockedUntil = new Date(p.now.getTime() + p.lockMs);
  const expiresAt = new Date(p.now.getTime() + p.ttlMs);
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await q.query(
      `INSERT INTO idempotency_keys (owner, key, fingerprint, state, locked_until, expires_at, operation_seed)
       VALUES ($1, $2, $3, 'in_progress', $4, $5, $6) ON CONFLICT (owner, key) DO NOTHING`,
      [p.owner, p.key, p.fingerprint, lockedUntil, expiresAt, p.seed],
    );
    if (inserted.rowCount === 1) return { state: 'claimed', seed: p.seed };
    const res = await q.query<KeyRow>('SELECT * FROM idempotency_keys WHERE owner = $1 AND key = $2', [p.owner, p.key]);
    const row = res.rows[0];
    if (!row) continue; // expired and removed meanwhile: claim again
    if (row.expires_at <= p.now) {
      await q.query('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND expires_at <= $3', [p.owner, p.key, p.now]);
      continue;
    }
    if (!row.fingerprint.equals(p.fingerprint)) return { state: 'mismatch' };
    if (row.state === 'done') return { state: 'replay', response: { status: row.status!, headers: row.headers ?? {}, body: row.body ?? '' } };
    const takenOver = await q.query(
      `UPDATE idempotency_keys SET locked_until = $4 WHERE owner = $1 AND key = $2 AND state = 'in_progress' AND locked_until <= $3`,
      [p.owner, p.key, p.now, lockedUntil],
    );
    return takenOver.rowCount === 1 ? { state: 'claimed', seed: row.operation_seed } : { state: 'busy' };
  }
  return { state: 'busy' };
}

export async function completeIdempotencyKey(q: Queryable, p: { owner: string; key: string; response: StoredResponse }): Promise<void> {
  await q.query(
    `UPDATE idempotency_keys SET state = 'done', status = $3, headers = $4, body = $5 WHERE owner = $1 AND key = $2`,
    [p.owner, p.key, p.response.status, p.response.headers, p.response.body],
  );
}

/**
 * Give the key's lock up (the request failed in a way its retry should redo): the next request with it takes the
 * claim over at once, with the same seed, so it converges on the operation the failed one may have started.
 */
export async function releaseIdempotencyKey(q: Queryable, p: { owner: string; key: string; now: Date }): Promise<void> {
  await q.query(`UPDATE idempotency_keys SET locked_until = $3 WHERE owner = $1 AND key = $2 AND state = 'in_progress'`, [p.owner, p.key, p.now]);
}

/** Drop keys past their retention (a bounded batch, run now and then). */
export async function purgeExpiredIdempotencyKeys(q: Queryable, now: Date): Promise<void> {
  await q.query(
    'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT 1000)',
    [now],
  );
}
