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

/** Tenants by id, keyset-paginated; `search` matches the id or the name. */
export async function listTenants(
  q: Queryable,
  query: { search?: string | undefined; limit: number; afterId?: string | undefined },
): Promise<{ items: Tenant[]; hasMore: boolean }> {
  const pattern = query.search ? `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const res = await q.query(
    `SELECT * FROM tenants
      WHERE ($1::text IS NULL OR id ILIKE $1 OR name ILIKE $1)
        AND ($2::text IS NULL OR id > $2)
      ORDER BY id
      LIMIT $3`,
    [pattern, query.afterId ?? null, query.limit + 1],
  );
  return { items: res.rows.slice(0, query.limit).map(toTenant), hasMore: res.rows.length > query.limit };
}
