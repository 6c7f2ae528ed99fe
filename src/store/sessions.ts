import type { Queryable } from '../db/pool';

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  tenantId: string;
}

export async function insertSession(
  q: Queryable,
  s: { id: string; tenantId: string; userId: string; tokenHash: Buffer; now: Date; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id, tenant_id, user_id, token_hash, created_at, last_seen_at, expires_at, user_agent, ip)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)`,
    [s.id, s.tenantId, s.userId, s.tokenHash, s.now, s.expiresAt, s.userAgent, s.ip],
  );
}

/** The active session with this token, marked as seen now. */
/** The active session with this token, read only (see `touchSession` for recording its use). */
export async function findActiveSession(q: Queryable, tokenHash: Buffer, now: Date): Promise<SessionPrincipal | undefined> {
  const res = await q.query(
    'SELECT id, user_id, tenant_id FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2',
    [tokenHash, now],
  );
  const r = res.rows[0];
  return r ? { sessionId: r.id, userId: r.user_id, tenantId: r.tenant_id } : undefined;
}

/** Record that a session was used now. */
export async function markSessionSeen(q: Queryable, sessionId: string, now: Date): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [sessionId, now]);
}

export async function touchSession(q: Queryable, tokenHash: Buffer, now: Date): Promise<SessionPrincipal | undefined> {
  const res = await q.query(
    `UPDATE sessions SET last_seen_at = $2
      WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2
      RETURNING id, user_id, tenant_id`,
    [tokenHash, now],
  );
  const r = res.rows[0];
  return r ? { sessionId: r.id, userId: r.user_id, tenantId: r.tenant_id } : undefined;
}

export async function listActiveSessions(q: Queryable, tenantId: string, userId: string, now: Date): Promise<SessionView[]> {
  const res = await q.query(
    `SELECT * FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3
      ORDER BY created_at DESC, id`,
    [tenantId, userId, now],
  );
  return res.rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    userAgent: r.user_agent,
    ip: r.ip,
  }));
}

/** Revoke one session (sessionId) or all active sessions of a user; returns how many were revoked. */
export async function revokeSessions(
  q: Queryable,
  p: { tenantId: string; userId: string; sessionId?: string | undefined; now: Date },
): Promise<number> {
  const res = await q.query(
    `UPDATE sessions SET revoked_at = $3
      WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3
        AND ($4::uuid IS NULL OR id = $4)`,
    [p.tenantId, p.userId, p.now, p.sessionId ?? null],
  );
  return res.rowCount ?? 0;
}

/** Revoke every active session of these users (a bulk batch); returns how many each user had. */
export async function revokeSessionsOfUsers(
  q: Queryable,
  p: { tenantId: string; userIds: readonly string[]; now: Date },
): Promise<{ userId: string; count: number }[]> {
  if (p.userIds.length === 0) return [];
  const res = await q.query<{ user_id: string; count: number }>(
    `WITH revoked AS (
       UPDATE sessions SET revoked_at = $2
        WHERE tenant_id = $1 AND user_id = ANY($3::uuid[]) AND revoked_at IS NULL AND expires_at > $2
       RETURNING user_id
     )
     SELECT user_id, count(*)::int AS count FROM revoked GROUP BY user_id`,
    [p.tenantId, p.now, p.userIds],
  );
  return res.rows.map((r) => ({ userId: r.user_id, count: r.count }));
}
