import { randomUUID } from 'node:crypto';
import { getPasswordSubject } from '../../store/users';
import { listActiveSessions, revokeSessionsAudited } from '../../store/sessions';
import type { ApiDeps } from '../deps';
import { problems } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { revokedResponse, sessionListResponse, sessionParams, userParams } from '../schemas';

async function requireUser(deps: ApiDeps, tenantId: string, userId: string): Promise<void> {
  if (!(await getPasswordSubject(deps.pool, tenantId, userId))) throw problems.notFound('The user');
}

export const sessionRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/users/{userId}/sessions', tag: 'Sessions', summary: "The user's active sessions",
      params: userParams,
      responses: { 200: { description: 'Active sessions, newest first', schema: sessionListResponse } },
    },
    async ({ deps, tenant, params }) => {
      await requireUser(deps, tenant.id, params.userId);
      return { status: 200, body: { items: await listActiveSessions(deps.pool, tenant.id, params.userId, deps.clock()) } };
    },
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/users/{userId}/sessions/{sessionId}', tag: 'Sessions', summary: 'Revoke one session',
      params: sessionParams,
      responses: { 204: { description: 'Revoked' } },
    },
    async ({ deps, tenant, params, admin }) => {
      await requireUser(deps, tenant.id, params.userId);
      const count = await revokeSessionsAudited(deps.pool, {
        tenantId: tenant.id, userId: params.userId, sessionId: params.sessionId, actor: admin.actor,
        idempotencyKey: `api:${randomUUID()}`, now: deps.clock(),
      });
      if (count === 0) throw problems.notFound('An active session with this id');
      return { status: 204 };
    },
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/users/{userId}/sessions', tag: 'Sessions', summary: 'Revoke all sessions of the user',
      params: userParams,
      responses: { 200: { description: 'How many sessions were revoked', schema: revokedResponse } },
    },
    async ({ deps, tenant, params, admin }) => {
      await requireUser(deps, tenant.id, params.userId);
      const revoked = await revokeSessionsAudited(deps.pool, {
        tenantId: tenant.id, userId: params.userId, actor: admin.actor, idempotencyKey: `api:${randomUUID()}`, now: deps.clock(),
      });
      return { status: 200, body: { revoked } };
    },
  ),
];
