import { randomUUID } from 'node:crypto';
import type { Actor } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import { tenantSettingsSchema, platformOnlyChanges, type ApprovalSettings, type Branding, type PasswordPolicy, type TenantSettings } from '../domain/tenantSettings';
import { insertAuditEvent } from '../store/audit';
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

type Optional<T> = { [K in keyof T]?: T[K] | undefined };

export interface TenantPatch {
  name?: string | undefined;
  settings?:
    | (Optional<Pick<TenantSettings, 'resetLinkTtlSeconds' | 'temporaryPasswordTtlSeconds' | 'breachedPasswordAtSignIn' | 'notifyPasswordChanged' | 'defaultLocale'>> & {
        passwordPolicy?: Optional<PasswordPolicy> | undefined;
        approvals?: Optional<ApprovalSettings> | undefined;
        /** null removes a field */
        branding?: { [K in keyof Branding]?: Branding[K] | null | undefined } | undefined;
      })
    | undefined;
}

/** `patch` over `base`: fields sent replace, fields not sent keep their value, null removes. */
function mergeFields<T extends object>(base: T, patch: object | undefined): T {
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = v;
  }
  return merged as T;
}

/**
 * Rename a tenant or change some of its settings; the merged settings must hold together
 * (minLength ≤ maxLength). A tenant key may tighten its tenant's controls but not
 * loosen one, nor rename it (`platformOnlyChanges`; `mayWeakenPolicy` is for the platform key). Audited `tenant.settings_changed`
 * with the settings before and after, in the same transaction.
 */
export async function updateTenant(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenant: Tenant; patch: TenantPatch; actor: Actor; mayWeakenPolicy: boolean },
): Promise<{ ok: true; tenant: Tenant } | Invalid | NotFound | Refused<'forbidden'>> {
  const { tenant, patch } = p;
  // a PATCH merges objects: settings not sent keep their value (api.md)
  const { passwordPolicy, approvals, branding, ...scalars } = patch.settings ?? {};
  const merged = tenantSettingsSchema.safeParse({
    ...mergeFields(tenant.settings, scalars),
    passwordPolicy: mergeFields(tenant.settings.passwordPolicy, passwordPolicy),
    approvals: mergeFields(tenant.settings.approvals, approvals),
    branding: mergeFields(tenant.settings.branding, branding),
  });
  if (!merged.success) return invalid('The settings are not valid.', fieldProblems(merged.error));
  const name = patch.name ?? tenant.name;
  if (!p.mayWeakenPolicy && platformOnlyChanges(tenant, { name, settings: merged.data }).length > 0) return refused('forbidden');
  return inTransaction(deps.pool, async (c) => {
    const updated = await updateStoredTenant(c, { id: tenant.id, name, settings: merged.data });
    if (!updated) return notFound('The tenant');
    if (name !== tenant.name || JSON.stringify(merged.data) !== JSON.stringify(tenant.settings)) {
      await insertAuditEvent(c, {
        idempotencyKey: `api:${randomUUID()}`, tenantId: tenant.id, userId: null, action: 'tenant.settings_changed', actor: p.actor,
        data: { before: { name: tenant.name, settings: tenant.settings }, after: { name, settings: merged.data } }, occurredAt: deps.clock(),
      });
    }
    return { ok: true, tenant: updated };
  });
}
