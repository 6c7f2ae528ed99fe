import type { Queryable } from '../db/pool';

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
}

export async function insertApiKey(q: Queryable, k: ApiKeyRecord & { keyHash: Buffer }): Promise<void> {
  await q.query('INSERT INTO api_keys (id, tenant_id, name, key_hash) VALUES ($1, $2, $3, $4)', [k.id, k.tenantId, k.name, k.keyHash]);
}

export async function findApiKeyByHash(q: Queryable, keyHash: Buffer): Promise<ApiKeyRecord | undefined> {
  const res = await q.query(
    'SELECT id, tenant_id, name FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [keyHash],
  );
  const r = res.rows[0];
  return r ? { id: r.id, tenantId: r.tenant_id, name: r.name } : undefined;
}
