import type { z } from 'zod';
import { passwordPolicySchema, tenantSettingsSchema, type TenantSettings } from '../domain/tenantSettings';
import type { Page } from '../store/paging';
import { getTenant, insertTenant, listTenants as listStoredTenants, updateTenant as updateStoredTenant, type Tenant } from '../store/tenants';
import type { ServiceDeps } from './deps';
import { fieldProblems, invalid, notFound, refused, type Invalid, type NotFound, type Refused } from './failures';

export type { Tenant };

export async function createTenant(
  deps: Pick<ServiceDeps, 'pool'>,
  t: { id: string; name: string; settings: TenantSettings },
): Promise<{ ok: true; tenant: Tenant } | Refused<'tenant_exists'>> {
  const tenant = await insertTenant(deps.pool, t);
  return tenant ? { ok: true, tenant } : refused('tenant_exists');
}

export async function findTenant(deps: Pick<ServiceDeps, 'pool'>, id: string): Promise<Tenant | undefined> {
  return getTenant(deps.pool, id);
}

/** By id; `search` matches the id or the name. */
export async function listTenants(
  deps: Pick<ServiceDeps, 'pool'>,
  q: { search?: string | undefined; limit: number; afterId?: string | undefined },
): Promise<Page<Tenant, string>> {
  return listStoredTenants(deps.pool, q);
}

export interface TenantPatch {
  name?: string | undefined;
  settings?: { resetLinkTtlSeconds?: number | undefined; temporaryPasswordTtlSeconds?: number | undefined; passwordPolicy?: Partial<z.infer<typeof passwordPolicySchema>> | undefined } | undefined;
}

/** Rename a tenant or change some of its settings; the merged settings must hold together (minLength ≤ maxLength). */
export async function updateTenant(deps: Pick<ServiceDeps, 'pool'>, tenant: Tenant, patch: TenantPatch): Promise<{ ok: true; tenant: Tenant } | Invalid | NotFound> {
  const merged = tenantSettingsSchema.safeParse({
    resetLinkTtlSeconds: patch.settings?.resetLinkTtlSeconds ?? tenant.settings.resetLinkTtlSeconds,
    temporaryPasswordTtlSeconds: patch.settings?.temporaryPasswordTtlSeconds ?? tenant.settings.temporaryPasswordTtlSeconds,
    passwordPolicy: { ...tenant.settings.passwordPolicy, ...patch.settings?.passwordPolicy },
  });
  if (!merged.success) return invalid('The settings are not valid.', fieldProblems(merged.error));
  const updated = await updateStoredTenant(deps.pool, { id: tenant.id, name: patch.name ?? tenant.name, settings: merged.data });
  return updated ? { ok: true, tenant: updated } : notFound('The tenant');
}
