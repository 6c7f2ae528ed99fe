import type { Queryable } from '../db/pool';
import type { ChangeRequired } from '../contract/vocabulary';

export interface ChangeTokenRecord {
  id: string;
  tenantId: string;
  userId: string;
  reason: ChangeRequired;
  expiresAt: Date;
  usedAt: Date | null;
  /** a later password write ended it (the token was bound to the password it was issued for) */
  invalidatedAt: Date | null;
}

interface ChangeTokenRow {
  id: string;
  tenant_id: string;
  user_id: string;
  reason: ChangeRequired;
  expires_at: Date;
  used_at: Date | null;
  invalidated_at: Date | null;
}

function toRecord(r: ChangeTokenRow): ChangeTokenRecord {
  return { id: r.id, tenantId: r.tenant_id, userId: r.user_id, reason: r.reason, expiresAt: r.expires_at, usedAt: r.used_at, invalidatedAt: r.invalidated_at };
}

export async function insertChangeToken(
  q: Queryable,
  t: { id: string; tenantId: string; userId: string; tokenHash: Buffer; reason: ChangeRequired; now: Date; expiresAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO change_tokens (id, tenant_id, user_id, token_hash, reason, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [t.id, t.tenantId, t.userId, t.tokenHash, t.reason, t.now, t.expiresAt],
  );
}

export async function findChangeTokenByHash(q: Queryable, tokenHash: Buffer): Promise<ChangeTokenRecord | undefined> {
  const res = await q.query<ChangeTokenRow>('SELECT * FROM change_tokens WHERE token_hash = $1', [tokenHash]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function getChangeToken(q: Queryable, id: string): Promise<ChangeTokenRecord | undefined> {
  const res = await q.query<ChangeTokenRow>('SELECT * FROM change_tokens WHERE id = $1', [id]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function lockChangeToken(q: Queryable, id: string): Promise<ChangeTokenRecord | undefined> {
  const res = await q.query<ChangeTokenRow>('SELECT * FROM change_tokens WHERE id = $1 FOR UPDATE', [id]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function markChangeTokenUsed(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE change_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL', [id, now]);
}

/** End every open change token of a user (in the transaction of a password write): they were issued for the old password. */
export async function invalidateChangeTokens(q: Queryable, p: { userId: string; now: Date; exceptId?: string | undefined }): Promise<void> {
  await q.query(
    `UPDATE change_tokens SET invalidated_at = $2
      WHERE user_id = $1 AND used_at IS NULL AND invalidated_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    [p.userId, p.now, p.exceptId ?? null],
  );
}
