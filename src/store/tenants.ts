import type { Queryable } from '../db/pool';
import { readTenantSettings, type TenantSettings } from '../domain/tenantSettings';
import { containsPattern, keysetPage, type Page } from './paging';

export interface Tenant {
  id: string;
  name: string;
  settings: TenantSettings;
  createdAt: string;
  updatedAt: string;
}

interface TenantRow {
  id: string;
  name: string;
  settings: unknown;
  created_at: Date;
  updated_at: Date;
}

function toTenant(r: TenantRow): Tenant {
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
  const res = await q.query<TenantRow>(
    `INSERT INTO tenants (id, name, settings) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    [t.id, t.name, t.settings],
  );
  return res.rows[0] ? toTenant(res.rows[0]) : undefined;
}

export async function getTenant(q: Queryable, id: string): Promise<Tenant | undefined> {
  const res = await q.query<TenantRow>('SELECT * FROM tenants WHERE id = $1', [id]);
  return res.rows[0] ? toTenant(res.rows[0]) : undefined;
}

export async function updateTenant(q: Queryable, t: { id: string; name: string; settings: TenantSettings }): Promise<Tenant | undefined> {
  const res = await q.query<TenantRow>(
    'UPDATE tenants SET name = $2, settings = $3, updated_at = now() WHERE id = $1 RETURNING *',
    [t.id, t.name, t.settings],
  );
  return res.rows[0] ? toTenant(res.rows[0]) : undefined;
}

/** Tenants by id, keyset-paginated; `search` matches the id or the name. */
export async function listTenants(
  q: Queryable,
  query: { search?: string | undefined; limit: number; afterId?: string | undefined },
): Promise<Page<Tenant, string>> {
  const res = await q.query<TenantRow>(
    `SELECT * FROM tenants
      WHERE ($1::text IS NULL OR id ILIKE $1 OR name ILIKE $1)
        AND ($2::text IS NULL OR id > $2)
      ORDER BY id
      LIMIT $3`,
    [containsPattern(query.search), query.afterId ?? null, query.limit + 1],
  );
  return keysetPage(res.rows, query.limit, toTenant, (r) => r.id);
}
