import { keyRoute, type RouteDef } from '../route';
import { adminKeyResponse } from '../schemas';

/** What the presented key is: the console signs in with it and learns where it may act. */
export const adminKeyRoutes: RouteDef[] = [
  keyRoute(
    {
      method: 'get', path: '/admin/key', operationId: 'getAdminKey', tag: 'Tenants',
      summary: 'The admin key of this request: platform or tenant scope, its tenant, id and name (never the key itself)',
      responses: { 200: { description: 'The key', schema: adminKeyResponse } },
    },
    async ({ admin }) => ({
      status: 200,
      body: {
        scope: admin.scope,
        tenantId: admin.scope === 'tenant' ? admin.tenantId : null,
        id: admin.actor.id,
        name: admin.actor.name ?? null,
      },
    }),
  ),
];
