import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { BulkProgress, BulkStatus } from '../contract/bulkReset';
import { bulkResetInputSchema } from '../contract/workflowInputs';
import { workflowIds } from '../contract/workflowIds';
import { searchAttributes } from '../contract/searchAttributes';
import type { Actor, BulkKind, BulkState } from '../contract/vocabulary';
import { getBulkOperation, insertBulkOperation, latestBulkOperation, type BulkOperationRecord } from '../store/bulkOperations';
import type * as workflows from '../workflows';
import type { ServiceDeps } from './deps';
import { notFound, type NotFound } from './failures';
import { operationIdFor } from './idempotency';
import { withTemporal } from './temporalCalls';

/** Tenant-wide forced resets (rotation runs and bulk forced resets): start, follow, stop. */

type BulkDeps = Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'bulkTuning' | 'metrics'>;

export type { BulkStatus };

/** Start a tenant-wide forced reset now: a rotation run, or a bulk forced reset. */
export async function startBulkOperation(
  deps: BulkDeps,
  p: {
    tenantId: string; kind: BulkKind; actor: Actor; revokeSessions: boolean; maxPasswordAgeDays?: number; passwordSetBefore?: string | undefined;
    idempotencyKey?: string | undefined;
  },
): Promise<{ ok: true; operationId: string; workflowId: string }> {
  // a retried request (same Idempotency-Key) names the same operation, and Temporal runs it once
  const operationId = p.idempotencyKey ? operationIdFor(`bulk:${p.kind}:${p.tenantId}`, p.idempotencyKey) : randomUUID();
  const rotation = p.kind === 'rotation';
  const workflowId = rotation ? workflowIds.rotationRun(p.tenantId, operationId) : workflowIds.bulkForceReset(p.tenantId, operationId);
  const input = bulkResetInputSchema.parse({
    tenantId: p.tenantId,
    kind: p.kind,
    operationId,
    revokeSessions: p.revokeSessions,
    actor: p.actor,
    tuning: deps.bulkTuning,
    ...(p.maxPasswordAgeDays !== undefined ? { maxPasswordAgeDays: p.maxPasswordAgeDays } : {}),
    ...(p.passwordSetBefore !== undefined ? { passwordSetBefore: p.passwordSetBefore } : {}),
  });
  // known before the workflow starts, so a GET right after the 202 finds it
  await insertBulkOperation(deps.pool, { id: operationId, tenantId: p.tenantId, kind: p.kind, workflowId });
  await withTemporal(deps, () =>
    deps.temporal.workflow.start<typeof workflows.bulkForceResetWorkflow>('bulkForceResetWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.tenantId, value: p.tenantId },
        { key: searchAttributes.resetPath, value: rotation ? 'scheduled_rotation' : 'bulk_force_reset' },
        { key: searchAttributes.operationId, value: operationId },
      ],
      staticSummary: rotation ? `Password rotation run for tenant ${p.tenantId}` : `Bulk forced password reset for tenant ${p.tenantId}`,
    }),
  ).then(
    () => deps.metrics.resetStarted(rotation ? 'scheduled_rotation' : 'bulk_force_reset', p.actor.type),
    (err: unknown) => {
      // it ran before under this id and has ended: its outcome stands
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    },
  );
  return { ok: true, operationId, workflowId };
}

const STATUS_STATES: Record<string, BulkState> = {
  RUNNING: 'running',
  CONTINUED_AS_NEW: 'running',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
  TERMINATED: 'failed',
  TIMED_OUT: 'failed',
};

/** Progress as the workflow publishes it in its memo: readable with no worker running. */
async function statusOf(deps: BulkDeps, op: BulkOperationRecord): Promise<BulkStatus> {
  const d = await withTemporal(deps, () => deps.temporal.workflow.getHandle(op.workflowId).describe());
  const progress = (d.memo?.['progress'] ?? undefined) as BulkProgress | undefined;
  const status = STATUS_STATES[d.status.name] ?? 'running';
  return {
    operationId: op.id,
    kind: op.kind,
    // a cancelled or failed workflow is what it is, whatever its last progress said
    state: status === 'running' || status === 'completed' ? (progress?.state ?? status) : status,
    matched: progress?.matched ?? 0,
    done: progress?.done ?? 0,
    skipped: progress?.skipped ?? 0,
    startedAt: progress?.startedAt ?? op.createdAt.toISOString(),
    ...(progress?.finishedAt ? { finishedAt: progress.finishedAt } : d.closeTime ? { finishedAt: d.closeTime.toISOString() } : {}),
    ...(status === 'failed' ? { failure: progress?.failure ?? `the workflow ended ${d.status.name.toLowerCase()}` } : {}),
    workflowId: op.workflowId,
  };
}

export async function bulkStatus(deps: BulkDeps, tenantId: string, operationId: string): Promise<{ ok: true; status: BulkStatus } | NotFound> {
  const op = await getBulkOperation(deps.pool, tenantId, operationId);
  if (!op) return notFound('The operation');
  return { ok: true, status: await statusOf(deps, op) };
}

export async function lastRotationRun(deps: BulkDeps, tenantId: string): Promise<BulkStatus | undefined> {
  const op = await latestBulkOperation(deps.pool, tenantId, 'rotation');
  if (!op) return undefined;
  try {
    return await statusOf(deps, op);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Cancel the rest of an operation; users already done stay done. Waits (boundedly) for it to stop. */
export async function cancelBulkOperation(deps: BulkDeps, tenantId: string, operationId: string): Promise<{ ok: true; status: BulkStatus } | NotFound> {
  const op = await getBulkOperation(deps.pool, tenantId, operationId);
  if (!op) return notFound('The operation');
  const before = await statusOf(deps, op);
  if (before.state !== 'running') return { ok: true, status: before };
  const handle = deps.temporal.workflow.getHandle(op.workflowId);
  await withTemporal(deps, async () => {
    await handle.cancel();
    await handle.result().catch(() => undefined);
  });
  return { ok: true, status: await statusOf(deps, op) };
}
