import type { Queryable } from '../db/pool';

/**
 * "This wasn't me" links (api.md, Password change notices): one per notice, only the token's
 * SHA-256 stored, bound to the password it reports by that password's `password_set_at`.
 */

export type ReportNotice = 'password_changed' | 'temporary_password_set';

export interface PasswordChangeReport {
  id: string;
  tenantId: string;
  userId: string;
  passwordSetAt: Date;
  notice: ReportNotice;
  workflowId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

interface Row {
  id: string;
  tenant_id: string;
  user_id: string;
  password_set_at: Date;
  notice: ReportNotice;
  workflow_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const COLUMNS = 'id, tenant_id, user_id, password_set_at, notice, workflow_id, created_at, expires_at, used_at';

function toReport(r: Row): PasswordChangeReport {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    userId: r.user_id,
    passwordSetAt: r.password_set_at,
    notice: r.notice,
    workflowId: r.workflow_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

/**
 * The link of a workflow's notice: created, or (a retried activity) given a new token while still
 * unused: the previous token never left the activity that made it. Answers the stored link, and
 * whether this call's token is the one stored (false: the link was used meanwhile).
 */
export async function upsertReportLink(
  q: Queryable,
  r: { id: string; tenantId: string; userId: string; tokenHash: Buffer; passwordSetAt: Date; notice: ReportNotice; workflowId: string; now: Date; expiresAt: Date },
): Promise<{ report: PasswordChangeReport; stored: boolean }> {
  const res = await q.query<Row & { stored: boolean }>(
    `INSERT INTO password_change_reports (id, tenant_id, user_id, token_hash, password_set_at, notice, workflow_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (workflow_id) DO UPDATE SET token_hash = EXCLUDED.token_hash
       WHERE password_change_reports.used_at IS NULL
     RETURNING ${COLUMNS}, true AS stored`,
    [r.id, r.tenantId, r.userId, r.tokenHash, r.passwordSetAt, r.notice, r.workflowId, r.now, r.expiresAt],
  );
  if (res.rows[0]) return { report: toReport(res.rows[0]), stored: true };
  const existing = await q.query<Row>(`SELECT ${COLUMNS} FROM password_change_reports WHERE workflow_id = $1`, [r.workflowId]);
  return { report: toReport(existing.rows[0]!), stored: false };
}

export async function findReportByTokenHash(q: Queryable, tokenHash: Buffer): Promise<PasswordChangeReport | undefined> {
  const res = await q.query<Row>(`SELECT ${COLUMNS} FROM password_change_reports WHERE token_hash = $1`, [tokenHash]);
  return res.rows[0] ? toReport(res.rows[0]) : undefined;
}

/** In a transaction: the link, row-locked, so concurrent reports of one link queue here and one wins. */
export async function lockReportByTokenHash(q: Queryable, tokenHash: Buffer): Promise<PasswordChangeReport | undefined> {
  const res = await q.query<Row>(`SELECT ${COLUMNS} FROM password_change_reports WHERE token_hash = $1 FOR UPDATE`, [tokenHash]);
  return res.rows[0] ? toReport(res.rows[0]) : undefined;
}

/** Spend the link: only if still unused (the conditional update decides a race). */
export async function markReportUsed(q: Queryable, id: string, now: Date): Promise<boolean> {
  const res = await q.query('UPDATE password_change_reports SET used_at = $2 WHERE id = $1 AND used_at IS NULL', [id, now]);
  return res.rowCount === 1;
}

/** The provider took the notice (its message id) or reported on it later. */
export async function recordReportDelivery(
  q: Queryable,
  p: { id?: string | undefined; messageId: string; state: 'sent' | 'delivered' | 'bounced' | 'complained'; at: Date },
): Promise<boolean> {
  const res = p.id
    ? await q.query(
      `UPDATE password_change_reports SET message_id = $2, delivery_state = CASE WHEN delivery_state = 'pending' THEN $3 ELSE delivery_state END,
              delivery_at = CASE WHEN delivery_state = 'pending' THEN $4 ELSE delivery_at END
        WHERE id = $1`,
      [p.id, p.messageId, p.state, p.at],
    )
    : await q.query('UPDATE password_change_reports SET delivery_state = $2, delivery_at = $3 WHERE message_id = $1', [p.messageId, p.state, p.at]);
  return (res.rowCount ?? 0) > 0;
}

/**
 * Lock the password a report names: only while it is still the user's password (same
 * password_set_at). An already locked password keeps the time of its first lock.
 * Returns the lock time, or undefined when the password changed since the notice.
 */
export async function lockReportedPassword(q: Queryable, p: { userId: string; passwordSetAt: Date; now: Date }): Promise<Date | undefined> {
  const res = await q.query<{ password_locked_at: Date }>(
    `UPDATE users SET password_locked_at = COALESCE(password_locked_at, $3)
      WHERE id = $1 AND password_hash IS NOT NULL AND password_set_at = $2
     RETURNING password_locked_at`,
    [p.userId, p.passwordSetAt, p.now],
  );
  return res.rows[0]?.password_locked_at;
}

