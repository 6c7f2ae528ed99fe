import type { Queryable } from '../db/pool';

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
}

/** A tenant key as GET …/api-keys shows it (never the key or its hash). */
export interface ApiKeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertApiKey(q: Queryable, k: ApiKeyRecord & { keyHash: Buffer }): Promise<void> {
  await q.query('INSERT INTO api_keys (id, tenant_id, name, key_hash) VALUES ($1, $2, $3, $4)', [k.id, k.tenantId, k.name, k.keyHash]);
}

/** A key that is not revoked. */
export async function findApiKeyByHash(q: Queryable, keyHash: Buffer): Promise<ApiKeyRecord | undefined> {
  const res = await q.query<ApiKeyRow>('SELECT id, tenant_id, name FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  const r = res.rows[0];
  return r ? { id: r.id, tenantId: r.tenant_id, name: r.name } : undefined;
}

/** Record a key's use (at most once a minute, to keep requests cheap). */
export async function markApiKeyUsed(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
    [id, now],
  );
}

export async function listApiKeys(q: Queryable, tenantId: string): Promise<ApiKeyView[]> {
  const res = await q.query<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
  return res.rows.map(toView);
}

/** Revoke once: returns the key when this call revoked it, undefined when it was already revoked or does not exist. */
export async function revokeApiKey(q: Queryable, p: { tenantId: string; id: string; now: Date }): Promise<ApiKeyRecord | undefined> {
  const res = await q.query<ApiKeyRow>(
    'UPDATE api_keys SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING *',
    [p.tenantId, p.id, p.now],
  );
  const r = res.rows[0];
  return r ? { id: r.id, tenantId: r.tenant_id, name: r.name } : undefined;
}

export async function getApiKey(q: Queryable, tenantId: string, id: string): Promise<ApiKeyView | undefined> {
  const res = await q.query<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return res.rows[0] ? toView(res.rows[0]) : undefined;
}

function toView(r: ApiKeyRow): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    ...(r.last_used_at ? { lastUsedAt: r.last_used_at.toISOString() } : {}),
    ...(r.revoked_at ? { revokedAt: r.revoked_at.toISOString() } : {}),
  };
}
