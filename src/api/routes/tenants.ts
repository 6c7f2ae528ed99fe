import { randomUUID } from 'node:crypto';
import { tenantSettingsSchema } from '../../domain/tenantSettings';
import { insertApiKey } from '../../store/apiKeys';
import { z } from 'zod';
import { insertTenant, listTenants, updateTenant } from '../../store/tenants';
import { hashToken, newToken } from '../../security/tokens';
import { problems } from '../problems';
import { decodeCursor, encodeCursor } from '../cursor';
import { adminRoute, parse, platformRoute, type RouteDef } from '../route';
import {
  apiKeyResponse,
  createApiKeyBody,
  createTenantBody,
  listTenantsQuery,
  patchTenantBody,
  tenantIdSchema,
  tenantListResponse,
  tenantParams,
  tenantResponse,
} from '../schemas';

export const tenantRoutes: RouteDef[] = [
  platformRoute(
    {
      method: 'post', path: '/admin/tenants', tag: 'Tenants', summary: 'Create a tenant',
      body: createTenantBody,
      responses: { 201: { description: 'The tenant', schema: tenantResponse } },
      problems: [403, 409],
    },
    async ({ deps, body }) => {
      const tenant = await insertTenant(deps.pool, body);
      if (!tenant) throw problems.conflict('tenant_exists', `A tenant with id "${body.id}" already exists.`);
      return { status: 201, body: tenant };
    },
  ),
  platformRoute(
    {
      method: 'get', path: '/admin/tenants', tag: 'Tenants', summary: 'List and search tenants (id or name contains q), by id',
      query: listTenantsQuery,
      responses: { 200: { description: 'A page of tenants', schema: tenantListResponse } },
      problems: [403],
    },
    async ({ deps, query }) => {
      const after = decodeCursor(z.object({ id: tenantIdSchema }), query.cursor);
      const { items, hasMore } = await listTenants(deps.pool, { search: query.q, limit: query.limit, afterId: after?.id });
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: hasMore && last ? encodeCursor({ id: last.id }) : null } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}', tag: 'Tenants', summary: 'Read a tenant and its settings',
      params: tenantParams,
      responses: { 200: { description: 'The tenant', schema: tenantResponse } },
    },
    async ({ tenant }) => ({ status: 200, body: tenant }),
  ),
  adminRoute(
    {
      method: 'patch', path: '/admin/tenants/{tenantId}', tag: 'Tenants', summary: 'Rename a tenant or change its settings',
      params: tenantParams,
      body: patchTenantBody,
      responses: { 200: { description: 'The tenant', schema: tenantResponse } },
    },
    async ({ deps, tenant, body }) => {
      const settings = parse(
        tenantSettingsSchema,
        {
          resetLinkTtlSeconds: body.settings?.resetLinkTtlSeconds ?? tenant.settings.resetLinkTtlSeconds,
          passwordPolicy: { ...tenant.settings.passwordPolicy, ...body.settings?.passwordPolicy },
        },
        'settings',
      );
      const updated = await updateTenant(deps.pool, { id: tenant.id, name: body.name ?? tenant.name, settings });
      if (!updated) throw problems.notFound('The tenant');
      return { status: 200, body: updated };
    },
  ),
  platformRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/api-keys', tag: 'Tenants', summary: 'Create a tenant admin key (shown once)',
      params: tenantParams,
      body: createApiKeyBody,
      responses: { 201: { description: 'The key; only its hash is stored', schema: apiKeyResponse } },
      problems: [403],
    },
    async ({ deps, tenant, body }) => {
      const key = `rfk_${newToken()}`;
      const id = randomUUID();
      await insertApiKey(deps.pool, { id, tenantId: tenant!.id, name: body.name, keyHash: hashToken(key) });
      return { status: 201, body: { id, name: body.name, tenantId: tenant!.id, key } };
    },
  ),
];
