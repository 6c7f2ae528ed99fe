import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { workflowIds } from '../contract/workflowIds';
import { searchAttributes } from '../contract/searchAttributes';
import type { Actor } from '../contract/vocabulary';
import type { UserImportInput, UserImportProgress } from '../contract/userImport';
import { lineEmail, MAX_IMPORT_BYTES, MAX_IMPORT_LINE_BYTES } from '../domain/userImportLine';
import {
  deleteUserImport,
  getUserImport,
  insertUserImport,
  listImportErrors,
  markReceived,
  stageLines,
  type ImportError,
  type StagedLine,
} from '../store/userImports';
import { countPasswordHashes } from '../store/users';
import type * as workflows from '../workflows';
import type { ServiceDeps } from './deps';
import { notFound, type NotFound } from './failures';
import { withTemporal } from './temporalCalls';

/** User import: stage the uploaded file, start its workflow, follow it, stop it; the hash counts. */

type ImportDeps = Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'clock' | 'importTuning'>;

/** An import as the API shows it: the workflow's counts, its errors, its times. */
export interface UserImportView extends UserImportProgress {
  errors: ImportError[];
  startedAt: string;
  finishedAt?: string;
  workflowId: string;
}

export type TooLarge = { ok: false; code: 'too_large' };

/** Lines staged per statement, and the bytes that may wait before a statement is sent. */
const STAGE_LINES = 1000;
const STAGE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Split a byte stream into lines and stage them, a statement at a time, awaiting each before
 * reading on (back-pressure: the file is never held whole). A line over MAX_IMPORT_LINE_BYTES
 * is not kept (it is staged as a problem); bytes that are not UTF-8 or a NUL likewise.
 */
async function stageFile(deps: ImportDeps, importId: string, body: AsyncIterable<Buffer>): Promise<{ ok: true; lines: number } | TooLarge> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let total = 0;
  let lineNo = 0;
  let staged = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overLong = false;
  let batch: StagedLine[] = [];
  let batchBytes = 0;

  const endLine = () => {
    lineNo += 1;
    const bytes = Buffer.concat(parts, partBytes);
    parts = [];
    partBytes = 0;
    const wasLong = overLong;
    overLong = false;
    if (wasLong) return push({ line: lineNo, body: null, problem: `the line is longer than ${MAX_IMPORT_LINE_BYTES} bytes`, emailLower: null });
    let text: string;
    try {
      text = decoder.decode(bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes);
    } catch {
      return push({ line: lineNo, body: null, problem: 'the line is not valid UTF-8', emailLower: null });
    }
    if (lineNo === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') return undefined;
    if (text.includes('\u0000')) return push({ line: lineNo, body: null, problem: 'the line holds a NUL character', emailLower: null });
    return push({ line: lineNo, body: text, problem: null, emailLower: lineEmail(text) });
  };
  const push = (l: StagedLine) => {
    batch.push(l);
    batchBytes += l.body?.length ?? 0;
    staged += 1;
    return undefined;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    batchBytes = 0;
    await stageLines(deps.pool, importId, rows);
  };

  for await (const chunk of body) {
    total += chunk.length;
    if (total > MAX_IMPORT_BYTES) return { ok: false, code: 'too_large' };
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      keep(chunk.subarray(start, nl));
      endLine();
      start = nl + 1;
    }
    keep(chunk.subarray(start));
    if (batch.length >= STAGE_LINES || batchBytes >= STAGE_BYTES) await flush();
  }
  if (partBytes > 0 || overLong) endLine();
  await flush();
  return { ok: true, lines: staged };

  function keep(piece: Buffer) {
    if (piece.length === 0 || overLong) return;
    if (partBytes + piece.length > MAX_IMPORT_LINE_BYTES) {
      overLong = true;
      parts = [];
      partBytes = 0;
      return;
    }
    parts.push(Buffer.from(piece));
    partBytes += piece.length;
  }
}

/**
 * Stage the uploaded NDJSON in PostgreSQL and start the import's workflow. A file cut off,
 * refused or not handed to Temporal leaves nothing behind.
 */
export async function startUserImport(
  deps: ImportDeps,
  p: { tenantId: string; actor: Actor; body: AsyncIterable<Buffer> },
): Promise<{ ok: true; importId: string; workflowId: string } | TooLarge> {
  const importId = randomUUID();
  const workflowId = workflowIds.userImport(p.tenantId, importId);
  await insertUserImport(deps.pool, { id: importId, tenantId: p.tenantId, workflowId, actor: p.actor, now: deps.clock() });
  try {
    const staged = await stageFile(deps, importId, p.body);
    if (!staged.ok) {
      await deleteUserImport(deps.pool, importId);
      return staged;
    }
    await markReceived(deps.pool, importId, staged.lines);
    const input: UserImportInput = { tenantId: p.tenantId, importId, actor: p.actor, tuning: deps.importTuning };
    await withTemporal(deps, () =>
      deps.temporal.workflow.start<typeof workflows.userImportWorkflow>('userImportWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
        typedSearchAttributes: [{ key: searchAttributes.tenantId, value: p.tenantId }, { key: searchAttributes.operationId, value: importId }],
        staticSummary: `User import for tenant ${p.tenantId}`,
      }),
    ).catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
  } catch (err) {
    await deleteUserImport(deps.pool, importId).catch(() => undefined);
    throw err;
  }
  return { ok: true, importId, workflowId };
}

/** The import as api.md shows it, from its row (readable with no worker and no Temporal). */
export async function userImportStatus(deps: Pick<ServiceDeps, 'pool'>, tenantId: string, importId: string): Promise<{ ok: true; view: UserImportView } | NotFound> {
  const imp = await getUserImport(deps.pool, tenantId, importId);
  if (!imp) return notFound('The import');
  const errors = await listImportErrors(deps.pool, importId);
  return {
    ok: true,
    view: {
      importId: imp.id,
      // an upload that never finished (the API stopped mid-file) never ran: it failed
      state: imp.state === 'receiving' ? 'failed' : imp.state,
      lines: imp.lines, created: imp.created, skipped: imp.skipped, failed: imp.failed, errors,
      startedAt: imp.startedAt.toISOString(),
      ...(imp.finishedAt ? { finishedAt: imp.finishedAt.toISOString() } : {}),
      workflowId: imp.workflowId,
    },
  };
}

/** Stop the rest of an import (users created stay); waits, boundedly, for its workflow to stop. */
export async function cancelUserImport(deps: ImportDeps, tenantId: string, importId: string): Promise<{ ok: true; view: UserImportView } | NotFound> {
  const imp = await getUserImport(deps.pool, tenantId, importId);
  if (!imp) return notFound('The import');
  if (imp.state === 'running') {
    const handle = deps.temporal.workflow.getHandle(imp.workflowId);
    await withTemporal(deps, async () => {
      try {
        await handle.cancel();
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      await handle.result().catch(() => undefined);
    });
  }
  return userImportStatus(deps, tenantId, importId);
}

/** How many password users still hold each kind of imported hash (and how many argon2id). */
export async function passwordHashCounts(deps: Pick<ServiceDeps, 'pool'>, tenantId: string) {
  return { ok: true as const, ...(await countPasswordHashes(deps.pool, tenantId)) };
}
