/** Where a key lands: a platform key picks a tenant, a tenant key goes straight to its users. */
export function homeOf(info: { scope: string; tenantId: string | null }): string {
  return info.scope === 'tenant' && info.tenantId ? `/tenants/${encodeURIComponent(info.tenantId)}/users` : '/tenants';
}
