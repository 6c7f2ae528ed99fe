import { createApiKey, listApiKeys, revokeApiKey } from '../../services/apiKeys';
import { createTenant, listTenants, updateTenant } from '../../services/tenants';
import { CURSORS, decodeCursor, pageBody } from '../cursor';
import { unwrap } from '../problems';
import { adminRoute, platformRoute, type RouteDef } from '../route';
import {
  apiKeyListResponse,
  apiKeyParams,
  apiKeyResponse,
  createApiKeyBody,
  createTenantBody,
  listTenantsQuery,
  patchTenantBody,
  tenantListResponse,
  tenantParams,
  tenantResponse,
} from '../schemas';

const tenantCursor = CURSORS.tenantId;

export const tenantRoutes: RouteDef[] = [
  platformRoute(
    {
      method: 'post', path: '/admin/tenants', operationId: 'createTenant', tag: 'Tenants', summary: 'Create a tenant',
      body: createTenantBody,
      responses: { 201: { description: 'The tenant', schema: tenantResponse } },
      problems: [403, 409],
    },
    async ({ deps, body }) => ({ status: 201, body: unwrap(await createTenant(deps, body)).tenant }),
  ),
  platformRoute(
    {
      method: 'get', path: '/admin/tenants', operationId: 'listTenants', tag: 'Tenants', summary: 'List and search tenants (id or name contains q), by id',
      query: listTenantsQuery,
      responses: { 200: { description: 'A page of tenants', schema: tenantListResponse } },
      problems: [403],
    },
    async ({ deps, query }) => {
      const after = decodeCursor(tenantCursor, query.cursor);
      const page = await listTenants(deps, { search: query.q, limit: query.limit, afterId: after?.id });
      return { status: 200, body: pageBody(page, (id) => ({ id })) };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}', operationId: 'getTenant', tag: 'Tenants', summary: 'Read a tenant and its settings',
      params: tenantParams,
      responses: { 200: { description: 'The tenant', schema: tenantResponse } },
    },
    async ({ tenant }) => ({ status: 200, body: tenant }),
  ),
  adminRoute(
    {
      method: 'patch', path: '/admin/tenants/{tenantId}', operationId: 'updateTenant', tag: 'Tenants', summary: 'Rename a tenant or change its settings',
      params: tenantParams,
      body: patchTenantBody,
      responses: { 200: { description: 'The tenant', schema: tenantResponse } },
    },
    async ({ deps, tenant, body, admin }) => ({
      status: 200,
      body: unwrap(await updateTenant(deps, { tenant, patch: body, actor: admin.actor, mayWeakenPolicy: admin.scope === 'platform' })).tenant,
    }),
  ),
  platformRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/api-keys', operationId: 'createApiKey', tag: 'Tenants', summary: 'Create a tenant admin key (shown once)', secretAnswer: true,
      params: tenantParams,
      body: createApiKeyBody,
      responses: { 201: { description: 'The key; only its hash is stored', schema: apiKeyResponse } },
      problems: [403],
    },
    async ({ deps, tenant, body, admin }) => ({ status: 201, body: await createApiKey(deps, { tenantId: tenant!.id, name: body.name, actor: admin.actor }) }),
  ),
  platformRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/api-keys', operationId: 'listApiKeys', tag: 'Tenants', summary: "The tenant's keys, revoked ones included (never the key itself)",
      params: tenantParams,
      responses: { 200: { description: 'The keys, oldest first', schema: apiKeyListResponse } },
      problems: [403],
    },
    async ({ deps, tenant }) => ({ status: 200, body: { items: await listApiKeys(deps, tenant!.id) } }),
  ),
  platformRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/api-keys/{keyId}', operationId: 'revokeApiKey', tag: 'Tenants',
      summary: 'Revoke a tenant key: it answers 401 from the next request on, on every replica (revoking again is a no-op)',
      params: apiKeyParams,
      responses: { 204: { description: 'Revoked' } },
      problems: [403],
    },
    async ({ deps, tenant, params, admin }) => {
      unwrap(await revokeApiKey(deps, { tenantId: tenant!.id, keyId: params.keyId, actor: admin.actor }));
      return { status: 204 };
    },
  ),
];
