import { isGrpcServiceError, ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleDescription, type ScheduleOptionsAction } from '@temporalio/client';
import { bulkResetInputSchema } from '../contract/workflowInputs';
import { rotationScheduleId } from '../contract/workflowIds';
import { searchAttributes } from '../contract/searchAttributes';
import { ROTATION_ACTOR } from '../domain/actors';
import type { ServiceDeps } from './deps';
import { invalid, notFound, type Invalid, type NotFound } from './failures';
import { lastRotationRun, startBulkOperation, type BulkStatus } from './bulkOperations';
import { withTemporal } from './temporalCalls';

/** Scheduled password rotation: one Temporal Schedule per tenant, opt-in, off by default. */

type RotationDeps = Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'bulkTuning' | 'metrics'>;

export interface RotationSettings {
  cron: string;
  timezone: string;
  maxPasswordAgeDays: number;
}

export interface RotationView extends RotationSettings {
  scheduleId: string;
  paused: boolean;
  nextRunTimes: string[];
  lastRun?: BulkStatus;
}

function rotationAction(deps: RotationDeps, tenantId: string, s: RotationSettings): ScheduleOptionsAction {
  const input = bulkResetInputSchema.parse({
    tenantId, kind: 'rotation', maxPasswordAgeDays: s.maxPasswordAgeDays, revokeSessions: false, actor: ROTATION_ACTOR, tuning: deps.bulkTuning,
  });
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

function settingsOf(d: ScheduleDescription): RotationSettings {
  const memo = (d.action as { memo?: { rotation?: RotationSettings } }).memo;
  if (!memo?.rotation) throw new Error(`schedule ${d.scheduleId} was not created by resetflow`);
  return memo.rotation;
}

async function describe(deps: RotationDeps, tenantId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await withTemporal(deps, () => deps.temporal.schedule.getHandle(rotationScheduleId(tenantId)).describe());
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

const NO_SCHEDULE = 'A password rotation schedule for this tenant';
const GRPC_INVALID_ARGUMENT = 3;

/** The schedule, its next run times and its last run. */
export async function getRotation(deps: RotationDeps, tenantId: string): Promise<{ ok: true; rotation: RotationView } | NotFound> {
  const d = await describe(deps, tenantId);
  if (!d) return notFound(NO_SCHEDULE);
  const settings = settingsOf(d);
  const lastRun = await lastRotationRun(deps, tenantId);
  return {
    ok: true,
    rotation: {
      scheduleId: d.scheduleId,
      cron: settings.cron,
      timezone: settings.timezone,
      maxPasswordAgeDays: settings.maxPasswordAgeDays,
      paused: d.state.paused,
      nextRunTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
      ...(lastRun ? { lastRun } : {}),
    },
  };
}

/**
 * Create or update the tenant's rotation schedule: overlapping runs are skipped,
 * and runs missed while the cluster was down catch up within a day (one run, as
 * overlaps are skipped).
 */
export async function putRotation(
  deps: RotationDeps,
  tenantId: string,
  s: RotationSettings & { paused?: boolean | undefined },
): Promise<{ ok: true; rotation: RotationView } | NotFound | Invalid> {
  const scheduleId = rotationScheduleId(tenantId);
  const spec = { cronExpressions: [s.cron], timezone: s.timezone };
  const policies = { overlap: 'SKIP' as const, catchupWindow: '1 day' };
  const settings: RotationSettings = { cron: s.cron, timezone: s.timezone, maxPasswordAgeDays: s.maxPasswordAgeDays };
  const action = rotationAction(deps, tenantId, settings);
  const refusal = await withTemporal(deps, async () => {
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
  }).then(
    () => undefined,
    (err: unknown) => {
      // Temporal has the last word on a cron expression or a time zone: its refusal is the caller's 400
      // (the SDK turns the server's "Invalid schedule spec" into a TypeError)
      const message = isGrpcServiceError(err) && err.code === GRPC_INVALID_ARGUMENT ? err.details : err instanceof TypeError ? err.message : undefined;
      if (message !== undefined) {
        return invalid('Temporal refused the schedule.', [{ field: /zone|location/i.test(message) ? 'timezone' : 'cron', code: 'invalid_schedule', message }]);
      }
      throw err;
    },
  );
  return refusal ?? getRotation(deps, tenantId);
}

export async function deleteRotation(deps: RotationDeps, tenantId: string): Promise<{ ok: true } | NotFound> {
  try {
    await withTemporal(deps, () => deps.temporal.schedule.getHandle(rotationScheduleId(tenantId)).delete());
    return { ok: true };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return notFound(NO_SCHEDULE);
    throw err;
  }
}

/** Run the rotation now, with the schedule's settings. */
export async function runRotationNow(
  deps: RotationDeps,
  tenantId: string,
  o: { idempotencyKey?: string | undefined } = {},
): Promise<{ ok: true; operationId: string; workflowId: string } | NotFound> {
  const d = await describe(deps, tenantId);
  if (!d) return notFound(NO_SCHEDULE);
  const { maxPasswordAgeDays } = settingsOf(d);
  return startBulkOperation(deps, { tenantId, kind: 'rotation', actor: ROTATION_ACTOR, revokeSessions: false, maxPasswordAgeDays, idempotencyKey: o.idempotencyKey });
}
