import type { Queryable } from '../db/pool';
import type { Actor } from '../contract/vocabulary';
import { MAX_IMPORT_ERRORS, type ImportLineCode } from '../contract/userImport';

/** User imports: the import, its staged lines, its errors (migration 1700000000080). */

export type StoredImportState = 'receiving' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface UserImportRecord {
  id: string;
  tenantId: string;
  workflowId: string;
  state: StoredImportState;
  actor: Actor;
  lines: number;
  nextLine: number;
  created: number;
  skipped: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
}

interface ImportRow {
  id: string;
  tenant_id: string;
  workflow_id: string;
  state: StoredImportState;
  actor: Actor;
  lines: number;
  next_line: number;
  created: number;
  skipped: number;
  failed: number;
  started_at: Date;
  finished_at: Date | null;
}

function toRecord(r: ImportRow): UserImportRecord {
  return {
    id: r.id, tenantId: r.tenant_id, workflowId: r.workflow_id, state: r.state, actor: r.actor, lines: r.lines, nextLine: r.next_line,
    created: r.created, skipped: r.skipped, failed: r.failed, startedAt: r.started_at, finishedAt: r.finished_at,
  };
}

export async function insertUserImport(q: Queryable, i: { id: string; tenantId: string; workflowId: string; actor: Actor; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO user_imports (id, tenant_id, workflow_id, state, actor, started_at) VALUES ($1, $2, $3, 'receiving', $4, $5)`,
    [i.id, i.tenantId, i.workflowId, i.actor, i.now],
  );
}

export interface StagedLine {
  line: number;
  body: string | null;
  problem: string | null;
  emailLower: string | null;
}

/** One multi-row statement per call (the upload sends a few hundred lines at a time). */
export async function stageLines(q: Queryable, importId: string, lines: StagedLine[]): Promise<void> {
  if (lines.length === 0) return;
  await q.query(
    `INSERT INTO user_import_lines (import_id, line, body, problem, email_lower)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
    [importId, lines.map((l) => l.line), lines.map((l) => l.body), lines.map((l) => l.problem), lines.map((l) => l.emailLower)],
  );
}

/** The upload is complete: the import runs (its workflow starts next). */
export async function markReceived(q: Queryable, importId: string, lines: number): Promise<void> {
  await q.query(`UPDATE user_imports SET state = 'running', lines = $2 WHERE id = $1 AND state = 'receiving'`, [importId, lines]);
}

/** An upload cut off or refused: nothing of it stays. */
export async function deleteUserImport(q: Queryable, importId: string): Promise<void> {
  await q.query('DELETE FROM user_imports WHERE id = $1', [importId]);
}

export async function getUserImport(q: Queryable, tenantId: string, importId: string): Promise<UserImportRecord | undefined> {
  const res = await q.query<ImportRow>('SELECT * FROM user_imports WHERE tenant_id = $1 AND id = $2', [tenantId, importId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function findUserImportById(q: Queryable, importId: string): Promise<UserImportRecord | undefined> {
  const res = await q.query<ImportRow>('SELECT * FROM user_imports WHERE id = $1', [importId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export async function lockUserImport(q: Queryable, importId: string): Promise<UserImportRecord | undefined> {
  const res = await q.query<ImportRow>('SELECT * FROM user_imports WHERE id = $1 FOR UPDATE', [importId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}

export interface ImportError {
  line: number;
  code: ImportLineCode;
  detail: string;
}

export async function listImportErrors(q: Queryable, importId: string): Promise<ImportError[]> {
  const res = await q.query<ImportError>(
    'SELECT line, code, detail FROM user_import_errors WHERE import_id = $1 ORDER BY line LIMIT $2',
    [importId, MAX_IMPORT_ERRORS],
  );
  return res.rows;
}

export async function readStagedLines(q: Queryable, importId: string, fromLine: number, limit: number): Promise<StagedLine[]> {
  const res = await q.query<{ line: number; body: string | null; problem: string | null }>(
    'SELECT line, body, problem FROM user_import_lines WHERE import_id = $1 AND line >= $2 ORDER BY line LIMIT $3',
    [importId, fromLine, limit],
  );
  return res.rows.map((r) => ({ ...r, emailLower: null }));
}

/** Which of these emails an earlier line of the same file named. */
export async function emailsOnEarlierLines(q: Queryable, importId: string, emails: string[], beforeLine: number): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const res = await q.query<{ email_lower: string }>(
    'SELECT DISTINCT email_lower FROM user_import_lines WHERE import_id = $1 AND email_lower = ANY($2::text[]) AND line < $3',
    [importId, emails, beforeLine],
  );
  return new Set(res.rows.map((r) => r.email_lower));
}

/** Which of these federated identities (`provider\u0000subject`) already belong to a user of the tenant. */
export async function takenIdentities(q: Queryable, tenantId: string, keys: { provider: string; subject: string }[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const res = await q.query<{ provider: string; subject: string }>(
    `SELECT f.provider, f.subject FROM federated_identities f
       JOIN unnest($2::text[], $3::text[]) AS k(provider, subject) ON k.provider = f.provider AND k.subject = f.subject
      WHERE f.tenant_id = $1`,
    [tenantId, keys.map((k) => k.provider), keys.map((k) => k.subject)],
  );
  return new Set(res.rows.map((r) => `${r.provider}\u0000${r.subject}`));
}

export interface ImportedUser {
  id: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  algorithm: string | null;
  privileged: boolean;
  locale: string | null;
  externalId: string | null;
}

/**
 * Insert the batch's users in one statement (and their password history in the same one);
 * an email the tenant already has is left alone. Returns the ids created.
 */
export async function insertImportedUsers(q: Queryable, tenantId: string, users: ImportedUser[], now: Date): Promise<Set<string>> {
  if (users.length === 0) return new Set();
  const col = <K extends keyof ImportedUser>(k: K) => users.map((u) => u[k]);
  const res = await q.query<{ id: string }>(
    `WITH input AS (
       SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[], $9::text[])
         AS t(id, email, display_name, password_hash, algorithm, privileged, locale, external_id)
     ), created AS (
       INSERT INTO users (id, tenant_id, email, display_name, password_hash, password_set_at, created_at, password_hash_algorithm, privileged, locale, external_id)
       SELECT id, $1, email, display_name, password_hash, CASE WHEN password_hash IS NULL THEN NULL ELSE $10::timestamptz END, $10, algorithm, privileged, locale, external_id
         FROM input
       ON CONFLICT (tenant_id, lower(email)) DO NOTHING
       RETURNING id, password_hash
     ), history AS (
       INSERT INTO password_history (user_id, password_hash, set_at)
       SELECT id, password_hash, $10 FROM created WHERE password_hash IS NOT NULL
     )
     SELECT id FROM created`,
    [tenantId, col('id'), col('email'), col('displayName'), col('passwordHash'), col('algorithm'), col('privileged'), col('locale'), col('externalId'), now],
  );
  return new Set(res.rows.map((r) => r.id));
}

export async function insertImportedIdentities(q: Queryable, tenantId: string, rows: { userId: string; provider: string; subject: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO federated_identities (user_id, tenant_id, provider, subject)
     SELECT u, $1, p, s FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(u, p, s) ON CONFLICT DO NOTHING`,
    [tenantId, rows.map((r) => r.userId), rows.map((r) => r.provider), rows.map((r) => r.subject)],
  );
}

/** Keep the errors while the import holds fewer than MAX_IMPORT_ERRORS (the import's row is locked: no race). */
export async function insertImportErrors(q: Queryable, importId: string, errors: ImportError[]): Promise<void> {
  if (errors.length === 0) return;
  await q.query(
    `INSERT INTO user_import_errors (import_id, line, code, detail)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[]) AS t(line, code, detail)
      ORDER BY line
      LIMIT GREATEST(0, $5 - (SELECT count(*) FROM user_import_errors WHERE import_id = $1))
     ON CONFLICT DO NOTHING`,
    [importId, errors.map((e) => e.line), errors.map((e) => e.code), errors.map((e) => e.detail), MAX_IMPORT_ERRORS],
  );
}

/** Move the cursor past a batch and add its counts, in the batch's transaction. */
export async function advanceUserImport(q: Queryable, importId: string, nextLine: number, d: { created: number; skipped: number; failed: number }): Promise<void> {
  await q.query(
    'UPDATE user_imports SET next_line = $2, created = created + $3, skipped = skipped + $4, failed = failed + $5 WHERE id = $1',
    [importId, nextLine, d.created, d.skipped, d.failed],
  );
}

/** End a running import (once: returns undefined if it had ended already) and drop its staged lines. */
export async function finishUserImport(q: Queryable, importId: string, state: 'completed' | 'failed' | 'cancelled', now: Date): Promise<UserImportRecord | undefined> {
  const res = await q.query<ImportRow>(
    `UPDATE user_imports SET state = $2, finished_at = $3 WHERE id = $1 AND state IN ('receiving', 'running') RETURNING *`,
    [importId, state, now],
  );
  await q.query('DELETE FROM user_import_lines WHERE import_id = $1', [importId]);
  return res.rows[0] ? toRecord(res.rows[0]) : undefined;
}
