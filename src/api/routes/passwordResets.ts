import type { ResetState } from '../../contract/vocabulary';
import { deliveryView } from '../../domain/mailDelivery';
import { forcePasswordReset, setTemporaryPassword } from '../../services/adminPasswords';
import { cancelResetEmail, listResets, readReset, sendResetEmail } from '../../services/resetLinks';
import type { ResetRecord } from '../../store/resets';
import { CURSORS, decodeCursor, pageBody } from '../cursor';
import type { HttpDeps } from '../deps';
import { operationKey } from '../idempotencyKey';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import {
  forceResetBody,
  resetEmailBody,
  resetListQuery,
  resetListResponse,
  resetParams,
  approvalHeldResponse,
  resetEmailStartedOrHeldResponse,
  resetStatusResponse,
  temporaryPasswordBody,
  tenantParams,
  userParams,
  workflowRefResponse,
} from '../schemas';
import { workflowUiUrl } from '../temporalUi';

const resetCursor = CURSORS.createdAtId;

/** A reset as `GET …/password-resets/{resetId}` shows it, and each item of the list. */
function resetBody(deps: HttpDeps, r: ResetRecord, state: ResetState) {
  return {
    resetId: r.id,
    userId: r.userId,
    state,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    ...(r.state === 'completed' && r.endedAt ? { completedAt: r.endedAt.toISOString() } : {}),
    ...(r.endedAt ? { endedAt: r.endedAt.toISOString() } : {}),
    delivery: { ...deliveryView(r.delivery), ...(r.deliveryError ? { error: r.deliveryError } : {}) },
    workflowId: r.workflowId,
    runId: r.runId,
    temporalUiUrl: workflowUiUrl(deps, r.workflowId, r.runId),
  };
}

export const passwordResetRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/password-reset-email', operationId: 'sendPasswordResetEmail', tag: 'Password resets',
      summary: 'Path 1: email the user a one-time reset link (supersedes any older link)',
      params: userParams,
      body: resetEmailBody,
      responses: { 202: { description: "The link is stored and the email on its way; or, when the tenant's approvals cover the user, the request is held for a second admin (ApprovalHeld)", schema: resetEmailStartedOrHeldResponse } },
      problems: [409, 503],
    },
    async ({ deps, req, tenant, params, body, admin }) => {
      const started = unwrap(await sendResetEmail(deps, {
        tenant, userId: params.userId, actor: admin.actor, revokeSessions: body.revokeSessions, idempotencyKey: operationKey(req),
      }));
      if ('held' in started) return { status: 202, body: started.held };
      return { status: 202, body: { resetId: started.resetId, workflowId: started.workflowId, expiresAt: started.expiresAt } };
    },
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/users/{userId}/password-reset-email', operationId: 'cancelPasswordResetEmail', tag: 'Password resets',
      summary: "Cancel the user's pending reset link",
      params: userParams,
      responses: { 200: { description: 'The pending link is cancelled' } },
      problems: [503],
    },
    async ({ deps, tenant, params, admin }) => {
      const { resetId } = unwrap(await cancelResetEmail(deps, { tenantId: tenant.id, userId: params.userId, actor: admin.actor }));
      return { status: 200, body: { resetId, state: 'cancelled' } };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/temporary-password', operationId: 'setTemporaryPassword', tag: 'Password resets',
      summary: 'Path 2: set a temporary password (by default the user must change it at next sign-in and is notified)',
      params: userParams,
      body: temporaryPasswordBody,
      responses: {
        200: { description: 'The password is stored', schema: workflowRefResponse },
        202: { description: "Held for a second admin (the tenant's approvals cover the user): nothing is applied until another admin approves", schema: approvalHeldResponse },
      },
      problems: [409, 422, 503],
    },
    async ({ deps, req, tenant, params, body, admin }) => {
      const done = unwrap(await setTemporaryPassword(deps, {
        tenant, userId: params.userId, actor: admin.actor, ...body, idempotencyKey: operationKey(req),
      }), { policyField: 'password' });
      if ('held' in done) return { status: 202, body: done.held };
      return { status: 200, body: { workflowId: done.workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/force-password-reset', operationId: 'forcePasswordReset', tag: 'Password resets',
      summary: 'Path 3: keep the current password, but demand a new one at the next sign-in',
      params: userParams,
      body: forceResetBody,
      responses: {
        200: { description: 'The change is required from the next sign-in', schema: workflowRefResponse },
        202: { description: "Held for a second admin (the tenant's approvals cover the user): nothing is applied until another admin approves", schema: approvalHeldResponse },
      },
      problems: [409, 503],
    },
    async ({ deps, req, tenant, params, body, admin }) => {
      const done = unwrap(await forcePasswordReset(deps, {
        tenant, userId: params.userId, actor: admin.actor, revokeSessions: body.revokeSessions, idempotencyKey: operationKey(req),
      }));
      if ('held' in done) return { status: 202, body: done.held };
      return { status: 200, body: { workflowId: done.workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/password-resets/{resetId}', operationId: 'getPasswordReset', tag: 'Password resets',
      summary: 'Read a reset link: its state, delivery and workflow',
      params: resetParams,
      responses: { 200: { description: 'The reset', schema: resetStatusResponse } },
    },
    async ({ deps, tenant, params }) => {
      const { reset, state } = unwrap(await readReset(deps, tenant.id, params.resetId));
      return { status: 200, body: resetBody(deps, reset, state) };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/password-resets', operationId: 'listPasswordResets', tag: 'Password resets',
      summary: "The tenant's reset links, newest first, by state (as of now), user and delivery",
      params: tenantParams,
      query: resetListQuery,
      responses: { 200: { description: 'A page of resets', schema: resetListResponse } },
    },
    async ({ deps, tenant, query }) => {
      const after = decodeCursor(resetCursor, query.cursor);
      const page = await listResets(deps, { tenantId: tenant.id, userId: query.userId, state: query.state, delivery: query.delivery, limit: query.limit, after });
      return { status: 200, body: pageBody({ items: page.items.map((i) => resetBody(deps, i.reset, i.state)), next: page.next }) };
    },
  ),
];
