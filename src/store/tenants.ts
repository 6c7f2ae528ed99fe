import type { Queryable } from '../db/pool';
import { readTenantSettings, type TenantSettings } from '../domain/tenantSettings';

export interface Tenant {
  id: string;
  name: string;
  settings: TenantSettings;
  createdAt: string;
  updatedAt: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toTenant(r: any): Tenant {
  return {
    id: r.id,
    name: r.name,
    settings: readTenantSettings(r.settings),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Returns undefined when the id is taken. */
export async function insertTenant(q: Queryable, t: { id: string; name: string; settings: TenantSettings }): Promise<Tenant | undefined> {
  const res = await q.query(
    `INSERT INTO tenants (id, name, settings) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    [t.id, t.name, t.settings],
  );
  return res.rows[0] ? toTenant(res.rows[0]) : undefined;
}

export async function getTenant(q: Queryable, id: string): Promise<Tenant | undefined> {
  const res = await q.query('SELECT * FROM tenants WHERE id = $1', [id]);
  return res.rows[0] ? toTenant(res.rows[0]) : undefined;
}

export async function updateTenant(q: Queryable, t: { id: string; name: string; settings: TenantSettings }): Promise<Tenant | undefined> {
  const res = await q.query(
    'UPDATE tenants SET name = $2, settings = $3, updated_at = now() WHERE id = $1 RETURNING *',
    [t.id, t.name, t.settings],
  );
  return res.rows[0] ? toTenant(res.rows[0]) : undefined;
}
