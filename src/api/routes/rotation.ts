import { bulkStatus, cancelBulkOperation, startBulkOperation, type BulkStatus } from '../../services/bulkOperations';
import { deleteRotation, getRotation, putRotation, runRotationNow, type RotationView } from '../../services/rotation';
import type { HttpDeps } from '../deps';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import {
  bulkForceResetBody,
  bulkStatusResponse,
  operationParams,
  operationStartedResponse,
  rotationBody,
  rotationResponse,
  tenantParams,
} from '../schemas';
import { operationKey } from '../idempotencyKey';
import { workflowUiUrl } from '../temporalUi';

/** An operation's status with its link into the Temporal Web UI. */
function statusBody(deps: HttpDeps, s: BulkStatus) {
  return { ...s, temporalUiUrl: workflowUiUrl(deps, s.workflowId) };
}

function rotationBodyOf(deps: HttpDeps, r: RotationView) {
  const { lastRun, ...rest } = r;
  return { ...rest, ...(lastRun ? { lastRun: statusBody(deps, lastRun) } : {}) };
}

export const rotationRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'put', path: '/admin/tenants/{tenantId}/password-rotation', operationId: 'setPasswordRotation', tag: 'Rotation and bulk resets',
      summary: 'Create or update the tenant’s scheduled password rotation (a Temporal Schedule; opt-in, off by default)',
      params: tenantParams,
      body: rotationBody,
      responses: { 200: { description: 'The schedule', schema: rotationResponse } },
      problems: [503],
    },
    async ({ deps, tenant, body }) => ({ status: 200, body: rotationBodyOf(deps, unwrap(await putRotation(deps, tenant.id, body)).rotation) }),
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/password-rotation', operationId: 'getPasswordRotation', tag: 'Rotation and bulk resets',
      summary: 'The rotation schedule, its next run times and its last run',
      params: tenantParams,
      responses: { 200: { description: 'The schedule', schema: rotationResponse } },
      problems: [503],
    },
    async ({ deps, tenant }) => ({ status: 200, body: rotationBodyOf(deps, unwrap(await getRotation(deps, tenant.id)).rotation) }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/password-rotation', operationId: 'deletePasswordRotation', tag: 'Rotation and bulk resets',
      summary: 'Delete the rotation schedule (runs in progress finish)',
      params: tenantParams,
      responses: { 204: { description: 'Deleted' } },
      problems: [503],
    },
    async ({ deps, tenant }) => {
      unwrap(await deleteRotation(deps, tenant.id));
      return { status: 204 };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/password-rotation/run', operationId: 'runPasswordRotation', tag: 'Rotation and bulk resets',
      summary: 'Run the rotation now, with the schedule’s settings',
      params: tenantParams,
      responses: { 202: { description: 'Started', schema: operationStartedResponse } },
      problems: [503],
    },
    async ({ deps, req, tenant }) => {
      const { operationId, workflowId } = unwrap(await runRotationNow(deps, tenant.id, { idempotencyKey: operationKey(req) }));
      return { status: 202, body: { operationId, workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/force-password-reset', operationId: 'startBulkForcePasswordReset', tag: 'Rotation and bulk resets',
      summary: 'Path 3 for many users at once: every password user, or those whose password was set before a date',
      params: tenantParams,
      body: bulkForceResetBody,
      responses: { 202: { description: 'Started', schema: operationStartedResponse } },
      problems: [503],
    },
    async ({ deps, req, tenant, body, admin }) => {
      const { operationId, workflowId } = await startBulkOperation(deps, {
        idempotencyKey: operationKey(req),
        tenantId: tenant.id,
        kind: 'bulk_force_reset',
        actor: admin.actor,
        revokeSessions: body.revokeSessions,
        passwordSetBefore: body.filter.passwordSetBefore ? new Date(body.filter.passwordSetBefore).toISOString() : undefined,
      });
      return { status: 202, body: { operationId, workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/bulk-operations/{operationId}', operationId: 'getBulkOperation', tag: 'Rotation and bulk resets',
      summary: 'Progress of a rotation run or bulk forced reset, read from its workflow',
      params: operationParams,
      responses: { 200: { description: 'Progress', schema: bulkStatusResponse } },
      problems: [503],
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: statusBody(deps, unwrap(await bulkStatus(deps, tenant.id, params.operationId)).status) }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/bulk-operations/{operationId}', operationId: 'cancelBulkOperation', tag: 'Rotation and bulk resets',
      summary: 'Cancel the rest of an operation (users already done stay done)',
      params: operationParams,
      responses: { 200: { description: 'Stopped; final progress', schema: bulkStatusResponse } },
      problems: [503],
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: statusBody(deps, unwrap(await cancelBulkOperation(deps, tenant.id, params.operationId)).status) }),
  ),
];
