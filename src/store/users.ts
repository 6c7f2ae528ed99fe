import type { Queryable } from '../db/pool';
import type { ChangeRequired, DeliveryState } from '../contract/vocabulary';
import { deliveryView, type DeliveryView } from '../domain/mailDelivery';
import { containsPattern, keysetPage, type Page } from './paging';

/** A user as the admin API shows it, less what is derived from it (the Actions menu). */
export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  /** a second admin must approve this user's resets when the tenant's approvals cover privileged users */
  privileged: boolean;
  /** the language of the user's emails and pages; null: the tenant's defaultLocale */
  locale: string | null;
  passwordIdentity: null | {
    setAt: string;
    temporary: boolean;
    expiresAt: string | null;
    changeRequired: ChangeRequired | null;
    /** set when the user reported a password change as not theirs: the password fails like a wrong one */
    lockedAt: string | null;
    /** the algorithm of an imported hash not yet replaced by argon2id (the first sign-in does) */
    legacyHash: string | null;
  };
  federatedIdentities: { provider: string; subject: string }[];
  pendingPasswordReset: null | { resetId: string; expiresAt: string; delivery: DeliveryView };
  createdAt: string;
}

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string | null;
  privileged: boolean;
  locale: string | null;
  password_locked_at: Date | null;
  password_hash_algorithm: string | null;
  has_password: boolean;
  password_set_at: Date | null;
  password_temporary: boolean;
  password_expires_at: Date | null;
  change_required: ChangeRequired | null;
  created_at: Date;
  federated: { provider: string; subject: string }[];
  reset_id: string | null;
  reset_expires_at: Date | null;
  delivery_state: DeliveryState | null;
  delivery_at: Date | null;
  delivery_detail: string | null;
  delivery_bounce_type: string | null;
}

const VIEW_SELECT = `
  SELECT u.id, u.tenant_id, u.email, u.display_name, u.privileged, u.locale, u.password_locked_at, u.password_hash_algorithm,
         u.password_hash IS NOT NULL AS has_password,
         u.password_set_at, u.password_temporary, u.password_expires_at, u.change_required, u.created_at,
         COALESCE((SELECT json_agg(json_build_object('provider', f.provider, 'subject', f.subject) ORDER BY f.provider, f.subject)
                     FROM federated_identities f WHERE f.user_id = u.id), '[]') AS federated,
         r.id AS reset_id, r.expires_at AS reset_expires_at,
         r.delivery_state, r.delivery_at, r.delivery_detail, r.delivery_bounce_type
    FROM users u
    LEFT JOIN password_resets r ON r.user_id = u.id AND r.state = 'pending' AND r.expires_at > $2`;

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    displayName: r.display_name,
    privileged: r.privileged,
    locale: r.locale,
    passwordIdentity: r.has_password && r.password_set_at
      ? {
        setAt: r.password_set_at.toISOString(),
        temporary: r.password_temporary,
        expiresAt: r.password_expires_at?.toISOString() ?? null,
        changeRequired: r.change_required,
        lockedAt: r.password_locked_at?.toISOString() ?? null,
        legacyHash: r.password_hash_algorithm,
      }
      : null,
    federatedIdentities: r.federated,
    pendingPasswordReset: r.reset_id && r.reset_expires_at
      ? {
        resetId: r.reset_id,
        expiresAt: r.reset_expires_at.toISOString(),
        delivery: deliveryView({ state: r.delivery_state ?? 'pending', at: r.delivery_at, detail: r.delivery_detail, bounceType: r.delivery_bounce_type }),
      }
      : null,
    createdAt: r.created_at.toISOString(),
  };
}

/** `now`: a pending link past its expiry is not shown as pending. */
export async function getUserRecord(q: Queryable, tenantId: string, userId: string, now: Date): Promise<UserRecord | undefined> {
  const res = await q.query<UserRow>(`${VIEW_SELECT} WHERE u.tenant_id = $1 AND u.id = $3`, [tenantId, now, userId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export interface UserListQuery {
  tenantId: string;
  search?: string | undefined;
  limit: number;
  after?: UserKey | undefined;
}

export interface UserKey {
  createdAt: string;
  id: string;
}

/** Oldest first, keyset-paginated on (created_at, id). */
export async function listUserRecords(q: Queryable, query: UserListQuery, now: Date): Promise<Page<UserRecord, UserKey>> {
  const res = await q.query<UserRow>(
    `${VIEW_SELECT}
      WHERE u.tenant_id = $1
        AND ($3::text IS NULL OR u.email ILIKE $3 OR u.display_name ILIKE $3)
        AND ($4::timestamptz IS NULL OR (u.created_at, u.id) > ($4, $5::uuid))
      ORDER BY u.created_at, u.id
      LIMIT $6`,
    [query.tenantId, now, containsPattern(query.search), query.after?.createdAt ?? null, query.after?.id ?? null, query.limit + 1],
  );
  return keysetPage(res.rows, query.limit, toRecord, (r) => ({ createdAt: r.created_at.toISOString(), id: r.id }));
}

export interface NewUser {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  /** the algorithm of an imported hash (user import); undefined or null: argon2id */
  passwordHashAlgorithm?: string | null | undefined;
  privileged?: boolean | undefined;
  locale?: string | null | undefined;
  federatedIdentities: { provider: string; subject: string }[];
  now: Date;
}

/** In a transaction. Returns the conflict instead of throwing, so the API can answer 409. */
export async function insertUser(q: Queryable, u: NewUser): Promise<'ok' | 'email_taken' | 'identity_taken'> {
  const res = await q.query(
    `INSERT INTO users (id, tenant_id, email, display_name, password_hash, password_set_at, created_at, password_hash_algorithm, privileged, locale)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE $6::timestamptz END, $6, $7, $8, $9)
     ON CONFLICT (tenant_id, lower(email)) DO NOTHING`,
    [u.id, u.tenantId, u.email, u.displayName, u.passwordHash, u.now, u.passwordHashAlgorithm ?? null, u.privileged ?? false, u.locale ?? null],
  );
  if (res.rowCount !== 1) return 'email_taken';
  if (u.passwordHash) {
    await q.query('INSERT INTO password_history (user_id, password_hash, set_at) VALUES ($1, $2, $3)', [u.id, u.passwordHash, u.now]);
  }
  for (const f of u.federatedIdentities) {
    const fi = await q.query(
      `INSERT INTO federated_identities (user_id, tenant_id, provider, subject) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [u.id, u.tenantId, f.provider, f.subject],
    );
    if (fi.rowCount !== 1) return 'identity_taken';
  }
  return 'ok';
}

/** The facts a password write needs about its user, read under a row lock. */
export interface PasswordSubject {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  changeRequired: ChangeRequired | null;
  /** when a temporary password stops working; null for any other password */
  passwordExpiresAt: Date | null;
  /** the workflow that tracks the temporary password until it lapses or is replaced */
  temporaryPasswordWorkflowId: string | null;
  privileged: boolean;
  locale: string | null;
  /** the password is locked ("this wasn't me"): it fails at sign-in like a wrong one */
  passwordLockedAt: Date | null;
  /** an imported hash's algorithm; null: argon2id */
  passwordHashAlgorithm: string | null;
}

const SUBJECT_COLUMNS = `id, tenant_id, email, display_name, password_hash, change_required, password_expires_at, temporary_password_workflow_id,
  privileged, locale, password_locked_at, password_hash_algorithm`;

export async function lockPasswordSubject(q: Queryable, tenantId: string, userId: string): Promise<PasswordSubject | undefined> {
  const res = await q.query<SubjectRow>(
    `SELECT ${SUBJECT_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, userId],
  );
  return res.rows[0] ? toSubject(res.rows[0]) : undefined;
}

export async function getPasswordSubject(q: Queryable, tenantId: string, userId: string): Promise<PasswordSubject | undefined> {
  const res = await q.query<SubjectRow>(
    `SELECT ${SUBJECT_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`,
    [tenantId, userId],
  );
  return res.rows[0] ? toSubject(res.rows[0]) : undefined;
}

/**
 * The one form of an email address every spelling that finds the same account shares: PostgreSQL's own
 * `lower()`, the expression the lookup below matches on (JavaScript's toLowerCase disagrees with it on
 * characters like U+0130), so a per-account limit keyed on it counts every spelling of the account once.
 */
export async function canonicalEmail(q: Queryable, email: string): Promise<string> {
  const res = await q.query<{ c: string }>('SELECT lower($1::text) AS c', [email]);
  return res.rows[0]!.c;
}

export async function findPasswordSubjectByEmail(q: Queryable, tenantId: string, email: string): Promise<PasswordSubject | undefined> {
  const res = await q.query<SubjectRow>(
    `SELECT ${SUBJECT_COLUMNS} FROM users WHERE tenant_id = $1 AND lower(email) = lower($2)`,
    [tenantId, email],
  );
  return res.rows[0] ? toSubject(res.rows[0]) : undefined;
}

interface SubjectRow {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string | null;
  password_hash: string | null;
  change_required: ChangeRequired | null;
  password_expires_at: Date | null;
  temporary_password_workflow_id: string | null;
  privileged: boolean;
  locale: string | null;
  password_locked_at: Date | null;
  password_hash_algorithm: string | null;
}

function toSubject(r: SubjectRow): PasswordSubject {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    changeRequired: r.change_required,
    passwordExpiresAt: r.password_expires_at,
    temporaryPasswordWorkflowId: r.temporary_password_workflow_id,
    privileged: r.privileged,
    locale: r.locale,
    passwordLockedAt: r.password_locked_at,
    passwordHashAlgorithm: r.password_hash_algorithm,
  };
}

/** The current hash and the previous ones, newest first. */
export async function recentPasswordHashes(q: Queryable, userId: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const res = await q.query<{ password_hash: string }>(
    'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2',
    [userId, count],
  );
  return res.rows.map((r) => r.password_hash);
}

export interface PasswordWrite {
  userId: string;
  passwordHash: string;
  temporary: boolean;
  changeRequired: ChangeRequired | null;
  now: Date;
  /** history rows to keep (the tenant's historyCount; at least the current one) */
  keepHistory: number;
  /** a temporary password that lapses: when, and the workflow that tracks it (every other write clears both) */
  lapses?: { at: Date; workflowId: string } | undefined;
}

/** In a transaction, after `lockPasswordSubject`. A new password ends a lock and replaces any imported hash. */
export async function writePassword(q: Queryable, w: PasswordWrite): Promise<void> {
  await q.query(
    `UPDATE users SET password_hash = $2, password_set_at = $3, password_temporary = $4, change_required = $5,
            password_expires_at = $6, temporary_password_workflow_id = $7, password_locked_at = NULL, password_hash_algorithm = NULL
      WHERE id = $1`,
    [w.userId, w.passwordHash, w.now, w.temporary, w.changeRequired, w.lapses?.at ?? null, w.lapses?.workflowId ?? null],
  );
  await q.query('INSERT INTO password_history (user_id, password_hash, set_at) VALUES ($1, $2, $3)', [w.userId, w.passwordHash, w.now]);
  await q.query(
    `DELETE FROM password_history WHERE user_id = $1 AND id NOT IN
       (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`,
    [w.userId, Math.max(1, w.keepHistory)],
  );
}

/**
 * Re-hash at sign-in: only if nobody changed the password meanwhile. An imported hash is
 * replaced too (the algorithm is cleared: resetflow's argon2id now). Returns whether it applied.
 */
export async function upgradePasswordHash(q: Queryable, userId: string, oldHash: string, newHash: string): Promise<boolean> {
  const res = await q.query('UPDATE users SET password_hash = $3, password_hash_algorithm = NULL WHERE id = $1 AND password_hash = $2', [userId, oldHash, newHash]);
  await q.query('UPDATE password_history SET password_hash = $3 WHERE user_id = $1 AND password_hash = $2', [userId, oldHash, newHash]);
  return res.rowCount === 1;
}

/** How many password users of the tenant hold each kind of imported hash, and how many resetflow's own argon2id. */
export async function countPasswordHashes(q: Queryable, tenantId: string): Promise<{ items: { algorithm: string; users: number }[]; argon2idUsers: number }> {
  const res = await q.query<{ algorithm: string | null; users: number }>(
    `SELECT password_hash_algorithm AS algorithm, count(*)::int AS users FROM users
      WHERE tenant_id = $1 AND password_hash IS NOT NULL GROUP BY password_hash_algorithm ORDER BY password_hash_algorithm`,
    [tenantId],
  );
  return {
    items: res.rows.filter((r) => r.algorithm !== null).map((r) => ({ algorithm: r.algorithm!, users: r.users })),
    argon2idUsers: res.rows.find((r) => r.algorithm === null)?.users ?? 0,
  };
}

/**
 * A correct password found in a breach at sign-in must be changed: flagged only while it is still the user's
 * password (`passwordHash`) and nothing else is required of it; false when another write won meanwhile.
 */
export async function flagBreachedPassword(q: Queryable, p: { userId: string; passwordHash: string }): Promise<boolean> {
  const res = await q.query(
    `UPDATE users SET change_required = 'breached_password' WHERE id = $1 AND password_hash = $2 AND change_required IS NULL`,
    [p.userId, p.passwordHash],
  );
  return res.rowCount === 1;
}

export async function setChangeRequired(q: Queryable, userId: string, changeRequired: ChangeRequired): Promise<void> {
  await q.query('UPDATE users SET change_required = $2 WHERE id = $1 AND password_hash IS NOT NULL', [userId, changeRequired]);
}

export interface UserFieldsPatch {
  displayName?: string | null | undefined;
  privileged?: boolean | undefined;
  locale?: string | null | undefined;
}

/** The admin-editable fields, before and after (undefined: no such user). In a transaction: the row is locked. */
export async function updateUserFields(
  q: Queryable,
  p: { tenantId: string; userId: string; patch: UserFieldsPatch },
): Promise<{ before: Required<UserFieldsPatch>; after: Required<UserFieldsPatch> } | undefined> {
  const cur = await q.query<{ display_name: string | null; privileged: boolean; locale: string | null }>(
    'SELECT display_name, privileged, locale FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [p.tenantId, p.userId],
  );
  const row = cur.rows[0];
  if (!row) return undefined;
  const before = { displayName: row.display_name, privileged: row.privileged, locale: row.locale };
  const after = {
    displayName: p.patch.displayName !== undefined ? p.patch.displayName : before.displayName,
    privileged: p.patch.privileged ?? before.privileged,
    locale: p.patch.locale !== undefined ? p.patch.locale : before.locale,
  };
  await q.query('UPDATE users SET display_name = $3, privileged = $4, locale = $5 WHERE tenant_id = $1 AND id = $2',
    [p.tenantId, p.userId, after.displayName, after.privileged, after.locale]);
  return { before, after };
}

/**
 * In a transaction: when the user's current password was set, the row locked (undefined: no such
 * user; null: no password). A "this wasn't me" link is bound to it.
 */
export async function lockPasswordSetAt(q: Queryable, tenantId: string, userId: string): Promise<Date | null | undefined> {
  const res = await q.query<{ password_set_at: Date | null; has_password: boolean }>(
    'SELECT password_set_at, password_hash IS NOT NULL AS has_password FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, userId],
  );
  const row = res.rows[0];
  if (!row) return undefined;
  return row.has_password ? row.password_set_at : null;
}

/** When the user's current password was set; undefined when the user has none (or is gone). */
export async function currentPasswordSetAt(q: Queryable, userId: string): Promise<Date | undefined> {
  const res = await q.query<{ password_set_at: Date | null }>('SELECT password_set_at FROM users WHERE id = $1 AND password_hash IS NOT NULL', [userId]);
  return res.rows[0]?.password_set_at ?? undefined;
}
