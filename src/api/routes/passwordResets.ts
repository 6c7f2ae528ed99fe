import { checkPasswordFor } from '../../domain/passwordPolicy';
import { findPendingReset, getReset } from '../../store/resets';
import { getPasswordSubject, type PasswordSubject } from '../../store/users';
import type { Tenant } from '../../store/tenants';
import type { ApiDeps } from '../deps';
import { operationId } from '../idempotency';
import { problems } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import {
  forceResetBody,
  resetEmailBody,
  resetParams,
  resetStartedResponse,
  resetStatusResponse,
  temporaryPasswordBody,
  userParams,
  workflowRefResponse,
} from '../schemas';
import { workflowUiUrl } from '../temporalUi';
import { cancelResetEmail, forcePasswordReset, setTemporaryPassword, startResetEmail } from '../workflowCommands';

/** The user must exist in this tenant and have a password: otherwise nothing is started and nothing is audited. */
async function passwordUser(deps: ApiDeps, tenant: Tenant, userId: string): Promise<PasswordSubject> {
  const user = await getPasswordSubject(deps.pool, tenant.id, userId);
  if (!user) throw problems.notFound('The user');
  if (!user.passwordHash) throw problems.noPasswordIdentity();
  return user;
}

function applyFailure(code: 'no_password_identity' | 'user_not_found') {
  return code === 'no_password_identity' ? problems.noPasswordIdentity() : problems.notFound('The user');
}

export const passwordResetRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/password-reset-email', tag: 'Password resets',
      summary: 'Path 1: email the user a one-time reset link (supersedes any older link)',
      params: userParams,
      body: resetEmailBody,
      responses: { 202: { description: 'The link is stored; the email is on its way', schema: resetStartedResponse } },
      problems: [409, 503],
    },
    async ({ deps, req, tenant, params, body, admin }) => {
      await passwordUser(deps, tenant, params.userId);
      const started = await startResetEmail(deps, {
        tenant, userId: params.userId, actor: admin.actor, revokeSessions: body.revokeSessions,
        resetId: operationId(req, `reset-email:${tenant.id}:${params.userId}`),
      });
      if (!started.result.issued) throw applyFailure(started.result.reason);
      const reset = await getReset(deps.pool, tenant.id, started.resetId);
      return {
        status: 202,
        body: { resetId: started.resetId, workflowId: started.workflowId, expiresAt: reset?.expiresAt.toISOString() ?? started.expiresAt },
      };
    },
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/users/{userId}/password-reset-email', tag: 'Password resets',
      summary: "Cancel the user's pending reset link",
      params: userParams,
      responses: { 200: { description: 'The pending link is cancelled' } },
      problems: [503],
    },
    async ({ deps, tenant, params, admin }) => {
      const pending = await findPendingReset(deps.pool, tenant.id, params.userId);
      if (!pending || pending.expiresAt <= deps.clock()) throw problems.notFound('A pending reset link for this user');
      const result = await cancelResetEmail(deps, { workflowId: pending.workflowId, actor: admin.actor });
      if (!result.cancelled) throw problems.notFound('A pending reset link for this user');
      return { status: 200, body: { resetId: pending.id, state: 'cancelled' } };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/temporary-password', tag: 'Password resets',
      summary: 'Path 2: set a temporary password (by default the user must change it at next sign-in and is notified)',
      params: userParams,
      body: temporaryPasswordBody,
      responses: { 200: { description: 'The password is stored', schema: workflowRefResponse } },
      problems: [409, 422, 503],
    },
    async ({ deps, req, tenant, params, body, admin }) => {
      const user = await passwordUser(deps, tenant, params.userId);
      const violations = checkPasswordFor(body.password, tenant, user);
      if (violations.length > 0) throw problems.passwordPolicy('password', violations);
      const { workflowId, result } = await setTemporaryPassword(deps, {
        tenantId: tenant.id, userId: params.userId, actor: admin.actor, ...body,
        operationId: operationId(req, `temporary-password:${tenant.id}:${params.userId}`),
      });
      if (!result.ok) throw result.code === 'password_policy' ? problems.passwordPolicy('password', result.violations) : applyFailure(result.code);
      return { status: 200, body: { workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/force-password-reset', tag: 'Password resets',
      summary: 'Path 3: keep the current password, but demand a new one at the next sign-in',
      params: userParams,
      body: forceResetBody,
      responses: { 200: { description: 'The change is required from the next sign-in', schema: workflowRefResponse } },
      problems: [409, 503],
    },
    async ({ deps, req, tenant, params, body, admin }) => {
      await passwordUser(deps, tenant, params.userId);
      const { workflowId, result } = await forcePasswordReset(deps, {
        tenantId: tenant.id, userId: params.userId, actor: admin.actor, revokeSessions: body.revokeSessions,
        operationId: operationId(req, `force-reset:${tenant.id}:${params.userId}`),
      });
      if (!result.ok) throw result.code === 'password_policy' ? problems.passwordPolicy('password', result.violations) : applyFailure(result.code);
      return { status: 200, body: { workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/password-resets/{resetId}', tag: 'Password resets',
      summary: 'Read a reset link: its state, delivery and workflow',
      params: resetParams,
      responses: { 200: { description: 'The reset', schema: resetStatusResponse } },
    },
    async ({ deps, tenant, params }) => {
      const r = await getReset(deps.pool, tenant.id, params.resetId);
      if (!r) throw problems.notFound('The reset');
      // a link past its TTL is expired even before its workflow has recorded it
      const state = r.state === 'pending' && r.expiresAt <= deps.clock() ? 'expired' : r.state;
      return {
        status: 200,
        body: {
          resetId: r.id,
          userId: r.userId,
          state,
          expiresAt: r.expiresAt.toISOString(),
          createdAt: r.createdAt.toISOString(),
          ...(r.state === 'completed' && r.endedAt ? { completedAt: r.endedAt.toISOString() } : {}),
          ...(r.endedAt ? { endedAt: r.endedAt.toISOString() } : {}),
          delivery: { state: r.deliveryState, ...(r.deliveryError ? { error: r.deliveryError } : {}) },
          workflowId: r.workflowId,
          runId: r.runId,
          temporalUiUrl: workflowUiUrl(deps, r.workflowId, r.runId),
        },
      };
    },
  ),
];
