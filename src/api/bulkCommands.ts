import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, WorkflowNotFoundError, type ScheduleDescription, type ScheduleOptionsAction } from '@temporalio/client';
import type { Actor } from '../domain/actor';
import { getBulkOperation, insertBulkOperation, latestBulkOperation, type BulkKind, type BulkOperationRecord } from '../store/bulkOperations';
import { rotationScheduleId, searchAttributes, workflowIds, type BulkProgress, type BulkResetInput } from '../workflows/definitions';
import type * as workflows from '../workflows';
import type { ApiDeps } from './deps';
import { problems } from './problems';
import { workflowUiUrl } from './temporalUi';
import { withTemporal } from './workflowCommands';

/** Scheduled rotation runs as this system actor, whoever configured the schedule. */
export const ROTATION_ACTOR: Actor = { type: 'system', id: 'password-rotation' };

export interface RotationSettings {
  cron: string;
  timezone: string;
  maxPasswordAgeDays: number;
}

export interface BulkStatus {
  operationId: string;
  kind: BulkKind;
  state: 'running' | 'completed' | 'cancelled' | 'failed';
  matched: number;
  done: number;
  skipped: number;
  startedAt: string;
  finishedAt?: string;
  workflowId: string;
  temporalUiUrl: string;
}

function rotationAction(deps: ApiDeps, tenantId: string, s: RotationSettings): ScheduleOptionsAction {
  const input: BulkResetInput = {
    tenantId, kind: 'rotation', maxPasswordAgeDays: s.maxPasswordAgeDays, revokeSessions: false, actor: ROTATION_ACTOR, tuning: deps.bulkTuning,
  };
  return {
    type: 'startWorkflow',
    workflowType: 'bulkForceResetWorkflow',
    taskQueue: deps.taskQueue,
    // Temporal appends the scheduled time, so every run has its own id
    workflowId: rotationScheduleId(tenantId),
    args: [input],
    typedSearchAttributes: [
      { key: searchAttributes.tenantId, value: tenantId },
      { key: searchAttributes.resetPath, value: 'scheduled_rotation' },
    ],
    // the schedule's own spec keeps no cron text: the runs' memo carries the settings as given
    memo: { rotation: s },
    staticSummary: `Scheduled password rotation for tenant ${tenantId}`,
  };
}

/**
 * Create or update the tenant's rotation schedule: overlapping runs are skipped,
 * and runs missed while the cluster was down catch up within a day (one run, as
 * overlaps are skipped).
 */
export async function putRotationSchedule(deps: ApiDeps, tenantId: string, s: RotationSettings & { paused?: boolean | undefined }): Promise<void> {
  const scheduleId = rotationScheduleId(tenantId);
  const spec = { cronExpressions: [s.cron], timezone: s.timezone };
  const policies = { overlap: 'SKIP' as const, catchupWindow: '1 day' };
  const action = rotationAction(deps, tenantId, s);
  await withTemporal(deps, async () => {
    try {
      await deps.temporal.schedule.create({ scheduleId, spec, action, policies, state: { paused: s.paused ?? false } });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await deps.temporal.schedule.getHandle(scheduleId).update((prev) => ({
        ...prev,
        spec,
        action,
        policies,
        state: { ...prev.state, paused: s.paused ?? prev.state.paused },
      }));
    }
  });
}

export async function describeRotationSchedule(deps: ApiDeps, tenantId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await withTemporal(deps, () => deps.temporal.schedule.getHandle(rotationScheduleId(tenantId)).describe());
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

export async function deleteRotationSchedule(deps: ApiDeps, tenantId: string): Promise<boolean> {
  try {
    await withTemporal(deps, () => deps.temporal.schedule.getHandle(rotationScheduleId(tenantId)).delete());
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

export function rotationSettingsOf(d: ScheduleDescription): RotationSettings {
  const memo = (d.action as { memo?: { rotation?: RotationSettings } }).memo;
  if (!memo?.rotation) throw new Error(`schedule ${d.scheduleId} was not created by resetflow`);
  return memo.rotation;
}

/** Start a tenant-wide forced reset now: a rotation run, or a bulk forced reset. */
export async function startBulkOperation(
  deps: ApiDeps,
  p: { tenantId: string; kind: BulkKind; actor: Actor; revokeSessions: boolean; maxPasswordAgeDays?: number; passwordSetBefore?: string | undefined },
): Promise<{ operationId: string; workflowId: string }> {
  const operationId = randomUUID();
  const rotation = p.kind === 'rotation';
  const workflowId = rotation ? workflowIds.rotationRun(p.tenantId, operationId) : workflowIds.bulkForceReset(p.tenantId, operationId);
  const input: BulkResetInput = {
    tenantId: p.tenantId,
    kind: p.kind,
    operationId,
    revokeSessions: p.revokeSessions,
    actor: p.actor,
    tuning: deps.bulkTuning,
    ...(p.maxPasswordAgeDays !== undefined ? { maxPasswordAgeDays: p.maxPasswordAgeDays } : {}),
    ...(p.passwordSetBefore !== undefined ? { passwordSetBefore: p.passwordSetBefore } : {}),
  };
  // known before the workflow starts, so a GET right after the 202 finds it
  await insertBulkOperation(deps.pool, { id: operationId, tenantId: p.tenantId, kind: p.kind, workflowId });
  await withTemporal(deps, () =>
    deps.temporal.workflow.start<typeof workflows.bulkForceResetWorkflow>('bulkForceResetWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.tenantId, value: p.tenantId },
        { key: searchAttributes.resetPath, value: rotation ? 'scheduled_rotation' : 'bulk_force_reset' },
        { key: searchAttributes.operationId, value: operationId },
      ],
      staticSummary: rotation ? `Password rotation run for tenant ${p.tenantId}` : `Bulk forced password reset for tenant ${p.tenantId}`,
    }),
  );
  return { operationId, workflowId };
}

const STATUS_STATES: Record<string, BulkStatus['state']> = {
  RUNNING: 'running',
  CONTINUED_AS_NEW: 'running',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
  TERMINATED: 'failed',
  TIMED_OUT: 'failed',
};

/** Progress as the workflow publishes it in its memo: readable with no worker running. */
export async function bulkStatus(deps: ApiDeps, op: BulkOperationRecord): Promise<BulkStatus> {
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
    workflowId: op.workflowId,
    temporalUiUrl: workflowUiUrl(deps, op.workflowId),
  };
}

export async function findBulkOperation(deps: ApiDeps, tenantId: string, operationId: string): Promise<BulkOperationRecord> {
  const op = await getBulkOperation(deps.pool, tenantId, operationId);
  if (!op) throw problems.notFound('The operation');
  return op;
}

export async function lastRotationRun(deps: ApiDeps, tenantId: string): Promise<BulkStatus | undefined> {
  const op = await latestBulkOperation(deps.pool, tenantId, 'rotation');
  if (!op) return undefined;
  try {
    return await bulkStatus(deps, op);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Cancel the rest of an operation; users already done stay done. Waits (boundedly) for it to stop. */
export async function cancelBulkOperation(deps: ApiDeps, op: BulkOperationRecord): Promise<BulkStatus> {
  const before = await bulkStatus(deps, op);
  if (before.state !== 'running') return before;
  const handle = deps.temporal.workflow.getHandle(op.workflowId);
  await withTemporal(deps, async () => {
    await handle.cancel();
    await handle.result().catch(() => undefined);
  });
  return bulkStatus(deps, op);
}
