import { adminRoute, type RouteDef } from '../route';
import { problems } from '../problems';
import {
  bulkForceResetBody,
  bulkStatusResponse,
  operationParams,
  operationStartedResponse,
  rotationBody,
  rotationResponse,
  tenantParams,
} from '../schemas';
import {
  bulkStatus,
  cancelBulkOperation,
  deleteRotationSchedule,
  describeRotationSchedule,
  findBulkOperation,
  lastRotationRun,
  putRotationSchedule,
  ROTATION_ACTOR,
  rotationSettingsOf,
  startBulkOperation,
} from '../bulkCommands';
import type { ApiDeps } from '../deps';

async function rotationView(deps: ApiDeps, tenantId: string) {
  const d = await describeRotationSchedule(deps, tenantId);
  if (!d) throw problems.notFound('A password rotation schedule for this tenant');
  const settings = rotationSettingsOf(d);
  const lastRun = await lastRotationRun(deps, tenantId);
  return {
    scheduleId: d.scheduleId,
    cron: settings.cron,
    timezone: settings.timezone,
    maxPasswordAgeDays: settings.maxPasswordAgeDays,
    paused: d.state.paused,
    nextRunTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    ...(lastRun ? { lastRun } : {}),
  };
}

export const rotationRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'put', path: '/admin/tenants/{tenantId}/password-rotation', tag: 'Rotation and bulk resets',
      summary: 'Create or update the tenant’s scheduled password rotation (a Temporal Schedule; opt-in, off by default)',
      params: tenantParams,
      body: rotationBody,
      responses: { 200: { description: 'The schedule', schema: rotationResponse } },
      problems: [503],
    },
    async ({ deps, tenant, body }) => {
      await putRotationSchedule(deps, tenant.id, body);
      return { status: 200, body: await rotationView(deps, tenant.id) };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/password-rotation', tag: 'Rotation and bulk resets',
      summary: 'The rotation schedule, its next run times and its last run',
      params: tenantParams,
      responses: { 200: { description: 'The schedule', schema: rotationResponse } },
      problems: [503],
    },
    async ({ deps, tenant }) => ({ status: 200, body: await rotationView(deps, tenant.id) }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/password-rotation', tag: 'Rotation and bulk resets',
      summary: 'Delete the rotation schedule (runs in progress finish)',
      params: tenantParams,
      responses: { 204: { description: 'Deleted' } },
      problems: [503],
    },
    async ({ deps, tenant }) => {
      if (!(await deleteRotationSchedule(deps, tenant.id))) throw problems.notFound('A password rotation schedule for this tenant');
      return { status: 204 };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/password-rotation/run', tag: 'Rotation and bulk resets',
      summary: 'Run the rotation now, with the schedule’s settings',
      params: tenantParams,
      responses: { 202: { description: 'Started', schema: operationStartedResponse } },
      problems: [503],
    },
    async ({ deps, tenant }) => {
      const d = await describeRotationSchedule(deps, tenant.id);
      if (!d) throw problems.notFound('A password rotation schedule for this tenant');
      const { maxPasswordAgeDays } = rotationSettingsOf(d);
      const started = await startBulkOperation(deps, { tenantId: tenant.id, kind: 'rotation', actor: ROTATION_ACTOR, revokeSessions: false, maxPasswordAgeDays });
      return { status: 202, body: started };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/force-password-reset', tag: 'Rotation and bulk resets',
      summary: 'Path 3 for many users at once: every password user, or those whose password was set before a date',
      params: tenantParams,
      body: bulkForceResetBody,
      responses: { 202: { description: 'Started', schema: operationStartedResponse } },
      problems: [503],
    },
    async ({ deps, tenant, body, admin }) => {
      const started = await startBulkOperation(deps, {
        tenantId: tenant.id,
        kind: 'bulk_force_reset',
        actor: admin.actor,
        revokeSessions: body.revokeSessions,
        passwordSetBefore: body.filter.passwordSetBefore ? new Date(body.filter.passwordSetBefore).toISOString() : undefined,
      });
      return { status: 202, body: started };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/bulk-operations/{operationId}', tag: 'Rotation and bulk resets',
      summary: 'Progress of a rotation run or bulk forced reset, read from its workflow',
      params: operationParams,
      responses: { 200: { description: 'Progress', schema: bulkStatusResponse } },
      problems: [503],
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: await bulkStatus(deps, await findBulkOperation(deps, tenant.id, params.operationId)) }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/bulk-operations/{operationId}', tag: 'Rotation and bulk resets',
      summary: 'Cancel the rest of an operation (users already done stay done)',
      params: operationParams,
      responses: { 200: { description: 'Stopped; final progress', schema: bulkStatusResponse } },
      problems: [503],
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: await cancelBulkOperation(deps, await findBulkOperation(deps, tenant.id, params.operationId)) }),
  ),
];
