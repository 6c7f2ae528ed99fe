import { listUserSessions, revokeUserSessions } from '../../services/sessions';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { revokedResponse, sessionListResponse, sessionParams, userParams } from '../schemas';

export const sessionRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/users/{userId}/sessions', operationId: 'listSessions', tag: 'Sessions', summary: "The user's active sessions",
      params: userParams,
      responses: { 200: { description: 'Active sessions, newest first', schema: sessionListResponse } },
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: { items: unwrap(await listUserSessions(deps, tenant.id, params.userId)).items } }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/users/{userId}/sessions/{sessionId}', operationId: 'revokeSession', tag: 'Sessions', summary: 'Revoke one session',
      params: sessionParams,
      responses: { 204: { description: 'Revoked' } },
    },
    async ({ deps, tenant, params, admin }) => {
      unwrap(await revokeUserSessions(deps, { tenantId: tenant.id, userId: params.userId, sessionId: params.sessionId, actor: admin.actor }));
      return { status: 204 };
    },
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/users/{userId}/sessions', operationId: 'revokeAllSessions', tag: 'Sessions', summary: 'Revoke all sessions of the user',
      params: userParams,
      responses: { 200: { description: 'How many sessions were revoked', schema: revokedResponse } },
    },
    async ({ deps, tenant, params, admin }) => {
      const { revoked } = unwrap(await revokeUserSessions(deps, { tenantId: tenant.id, userId: params.userId, actor: admin.actor }));
      return { status: 200, body: { revoked } };
    },
  ),
];
