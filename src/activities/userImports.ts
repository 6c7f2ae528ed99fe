import { randomUUID } from 'node:crypto';
import { CancelledFailure, Context } from '@temporalio/activity';
import { inTransaction, type Queryable } from '../db/pool';
import type { Actor } from '../contract/vocabulary';
import type { UserImportProgress } from '../contract/userImport';
import { importLineSchema } from '../domain/userImportLine';
import { parseImportedHash } from '../security/legacyHashes';
import { insertAuditEvent } from '../store/audit';
import {
  advanceUserImport,
  emailsOnEarlierLines,
  finishUserImport,
  findUserImportById,
  insertImportedIdentities,
  insertImportedUsers,
  insertImportErrors,
  lockUserImport,
  readStagedLines,
  takenIdentities,
  type ImportError,
  type ImportedUser,
  type UserImportRecord,
} from '../store/userImports';
import { currentExecution, type ActivityDeps } from './deps';

export interface ImportChunkInput {
  importId: string;
  batchSize: number;
  maxBatches: number;
}

export interface ImportChunkResult {
  progress: UserImportProgress;
  finished: boolean;
}

function progressOf(r: UserImportRecord): UserImportProgress {
  const state = r.state === 'receiving' ? 'running' : r.state;
  return { importId: r.id, state, lines: r.lines, created: r.created, skipped: r.skipped, failed: r.failed };
}

interface Candidate {
  line: number;
  user: ImportedUser;
  emailLower: string;
  identities: { provider: string; subject: string }[];
}

/** What is wrong with a line, in words (never its content: a line may hold a hash). */
function lineProblem(issues: { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'not a valid line';
  const field = first.path.map(String).join('.') || '(line)';
  return `${field}: ${first.message}`.slice(0, 300);
}

/**
 * Import the next batch of staged lines in one transaction: users (one statement), their
 * identities, the bad lines, and the cursor. The import's row is locked first and the batch
 * starts at its cursor, so a batch retried after its commit (or run again after a restart)
 * finds the cursor past it and imports nothing twice.
 */
async function importBatch(deps: ActivityDeps, q: Queryable, importId: string, batchSize: number): Promise<{ record: UserImportRecord; finished: boolean; counts?: { created: number; skipped: number; failed: number } }> {
  const imp = await lockUserImport(q, importId);
  if (!imp) throw new Error('the import is gone');
  if (imp.state !== 'running') return { record: imp, finished: true };
  const lines = await readStagedLines(q, importId, imp.nextLine, batchSize);
  if (lines.length === 0) return { record: imp, finished: true };

  const errors: ImportError[] = [];
  const candidates: Candidate[] = [];
  const emailsInBatch = new Set<string>();
  const identitiesInBatch = new Set<string>();
  for (const l of lines) {
    if (l.problem || l.body === null) {
      errors.push({ line: l.line, code: 'invalid_line', detail: l.problem ?? 'not a valid line' });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(l.body);
    } catch {
      errors.push({ line: l.line, code: 'invalid_line', detail: 'not a JSON object' });
      continue;
    }
    const parsed = importLineSchema.safeParse(json);
    if (!parsed.success) {
      errors.push({ line: l.line, code: 'invalid_line', detail: lineProblem(parsed.error.issues) });
      continue;
    }
    const v = parsed.data;
    const hash = v.passwordHash !== undefined ? parseImportedHash(v.passwordHash) : undefined;
    if (v.passwordHash !== undefined && !hash) {
      errors.push({ line: l.line, code: 'unsupported_hash', detail: 'passwordHash is not a supported hash format (or its parameters are out of bounds)' });
      continue;
    }
    const emailLower = v.email.toLowerCase();
    if (emailsInBatch.has(emailLower)) {
      errors.push({ line: l.line, code: 'duplicate_in_file', detail: 'an earlier line has this email' });
      continue;
    }
    const identities = v.federatedIdentities ?? [];
    const keys = identities.map((f) => `${f.provider}\u0000${f.subject}`);
    if (keys.some((k) => identitiesInBatch.has(k)) || new Set(keys).size !== keys.length) {
      errors.push({ line: l.line, code: 'invalid_line', detail: 'federatedIdentities: an identity appears twice' });
      continue;
    }
    emailsInBatch.add(emailLower);
    keys.forEach((k) => identitiesInBatch.add(k));
    candidates.push({
      line: l.line,
      emailLower,
      identities,
      user: {
        id: randomUUID(), email: v.email, displayName: v.displayName ?? null, passwordHash: v.passwordHash ?? null,
        algorithm: hash?.algorithm ?? null, privileged: v.privileged ?? false, locale: v.locale ?? null, externalId: v.externalId ?? null,
      },
    });
  }

  // an identity another user of the tenant holds already: the line fails, its user is not created
  const taken = await takenIdentities(q, imp.tenantId, candidates.flatMap((c) => c.identities));
  const insertable = candidates.filter((c) => {
    const clash = c.identities.some((f) => taken.has(`${f.provider}\u0000${f.subject}`));
    if (clash) errors.push({ line: c.line, code: 'invalid_line', detail: 'federatedIdentities: an identity belongs to another user' });
    return !clash;
  });

  const now = deps.clock();
  const created = await insertImportedUsers(q, imp.tenantId, insertable.map((c) => c.user), now);
  await insertImportedIdentities(q, imp.tenantId, insertable.filter((c) => created.has(c.user.id)).flatMap((c) => c.identities.map((f) => ({ userId: c.user.id, ...f }))));
  const refused = insertable.filter((c) => !created.has(c.user.id));
  const earlier = await emailsOnEarlierLines(q, importId, refused.map((c) => c.emailLower), lines[0]!.line);
  for (const c of refused) {
    errors.push(earlier.has(c.emailLower)
      ? { line: c.line, code: 'duplicate_in_file', detail: 'an earlier line has this email' }
      : { line: c.line, code: 'email_taken', detail: 'the tenant has a user with this email' });
  }

  const skipped = errors.filter((e) => e.code === 'email_taken' || e.code === 'duplicate_in_file').length;
  const counts = { created: created.size, skipped, failed: errors.length - skipped };
  await insertImportErrors(q, importId, errors);
  const nextLine = lines[lines.length - 1]!.line + 1;
  await advanceUserImport(q, importId, nextLine, counts);
  return {
    record: { ...imp, nextLine, created: imp.created + counts.created, skipped: imp.skipped + counts.skipped, failed: imp.failed + counts.failed },
    finished: lines.length < batchSize,
    counts,
  };
}

export function userImportActivities(deps: ActivityDeps) {
  return {
    /** Audit the start, once (keyed by the import). */
    async startUserImport(input: { importId: string; actor: Actor }): Promise<UserImportProgress> {
      const imp = await findUserImportById(deps.pool, input.importId);
      if (!imp) throw new Error('the import is gone');
      await insertAuditEvent(deps.pool, {
        idempotencyKey: `user-import:${input.importId}:started`,
        tenantId: imp.tenantId, userId: null, actor: input.actor, occurredAt: deps.clock(), ...currentExecution(),
        action: 'user_import.started', data: { importId: imp.id },
      });
      return progressOf(imp);
    },

    /**
     * Up to `maxBatches` batches, heartbeating after each; cancellation is seen between
     * batches (a batch in hand commits or rolls back whole). The cursor lives in the
     * database, so a retried attempt simply carries on from it.
     */
    async importUsersChunk(input: ImportChunkInput): Promise<ImportChunkResult> {
      const ctx = Context.current();
      let last: UserImportRecord | undefined;
      for (let batch = 0; batch < input.maxBatches; batch++) {
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('user import cancelled');
        const r = await inTransaction(deps.pool, (c) => importBatch(deps, c, input.importId, input.batchSize));
        last = r.record;
        if (r.counts) {
          deps.metrics.userImportLines('created', r.counts.created);
          deps.metrics.userImportLines('skipped', r.counts.skipped);
          deps.metrics.userImportLines('failed', r.counts.failed);
        }
        ctx.heartbeat({ nextLine: r.record.nextLine });
        if (r.finished) return { progress: progressOf(r.record), finished: true };
      }
      return { progress: progressOf(last!), finished: false };
    },

    /** End the import (completed, failed or cancelled) once, drop its staged lines, audit the end once. */
    async finishUserImport(input: { importId: string; state: 'completed' | 'failed' | 'cancelled'; actor: Actor }): Promise<UserImportProgress> {
      const exec = currentExecution();
      return inTransaction(deps.pool, async (c) => {
        const ended = await finishUserImport(c, input.importId, input.state, deps.clock());
        const imp = ended ?? (await lockUserImport(c, input.importId));
        if (!imp) throw new Error('the import is gone');
        await insertAuditEvent(c, {
          idempotencyKey: `user-import:${input.importId}:finished`,
          tenantId: imp.tenantId, userId: null, actor: input.actor, occurredAt: deps.clock(), ...exec,
          action: 'user_import.finished', data: { importId: imp.id, created: imp.created, skipped: imp.skipped, failed: imp.failed },
        });
        return progressOf(imp);
      });
    },
  };
}
