import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import { PLATFORM_ACTOR } from '../domain/actors';
import { findApiKeyByHash, insertApiKey, markApiKeyUsed, listApiKeys as listStoredKeys, revokeApiKey as revokeStoredKey, getApiKey, type ApiKeyView } from '../store/apiKeys';
import { insertAuditEvent } from '../store/audit';
import { hashToken, newToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { notFound, type NotFound } from './failures';

/** The platform key acts on every tenant; a tenant key on its own tenant only. */
export type AdminPrincipal = { scope: 'platform'; actor: Actor } | { scope: 'tenant'; tenantId: string; actor: Actor };

/**
 * The admin a bearer key stands for, or undefined for a key that is not (or no longer)
 * valid. Read from PostgreSQL on every request, so a revoked key is refused at once by
 * every API replica. `markUsed` records the key's use; the HTTP edge calls it once the
 * request is found well-formed, so a refused request writes nothing.
 */
export async function authenticateAdminKey(
  deps: Pick<ServiceDeps, 'pool' | 'platformKeyHash' | 'clock'>,
  key: string,
): Promise<(AdminPrincipal & { markUsed: () => Promise<void> }) | undefined> {
  const hash = hashToken(key);
  if (timingSafeEqual(hash, deps.platformKeyHash)) return { scope: 'platform', actor: PLATFORM_ACTOR, markUsed: async () => undefined };
  const record = await findApiKeyByHash(deps.pool, hash);
  if (!record) return undefined;
  return {
    scope: 'tenant', tenantId: record.tenantId, actor: { type: 'admin', id: record.id, name: record.name },
    markUsed: () => markApiKeyUsed(deps.pool, record.id, deps.clock()),
  };
}

/** A new tenant key: shown once, only its hash stored; audited `api_key.created`. */
export async function createApiKey(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenantId: string; name: string; actor: Actor },
): Promise<{ id: string; name: string; tenantId: string; key: string }> {
  const key = `rfk_${newToken()}`;
  const id = randomUUID();
  await inTransaction(deps.pool, async (c) => {
    await insertApiKey(c, { id, tenantId: p.tenantId, name: p.name, keyHash: hashToken(key) });
    await insertAuditEvent(c, {
      idempotencyKey: `api-key:${id}:created`, tenantId: p.tenantId, userId: null, action: 'api_key.created',
      actor: p.actor, data: { keyId: id, name: p.name }, occurredAt: deps.clock(),
    });
  });
  return { id, name: p.name, tenantId: p.tenantId, key };
}

export async function listApiKeys(deps: Pick<ServiceDeps, 'pool'>, tenantId: string): Promise<ApiKeyView[]> {
  return listStoredKeys(deps.pool, tenantId);
}

/**
 * Revoke a tenant key: it answers 401 from the next request on, on every replica.
 * Idempotent: revoking a revoked key succeeds again and audits nothing more.
 */
export async function revokeApiKey(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenantId: string; keyId: string; actor: Actor },
): Promise<{ ok: true } | NotFound> {
  return inTransaction(deps.pool, async (c) => {
    const revoked = await revokeStoredKey(c, { tenantId: p.tenantId, id: p.keyId, now: deps.clock() });
    if (revoked) {
      await insertAuditEvent(c, {
        idempotencyKey: `api-key:${revoked.id}:revoked`, tenantId: p.tenantId, userId: null, action: 'api_key.revoked',
        actor: p.actor, data: { keyId: revoked.id, name: revoked.name }, occurredAt: deps.clock(),
      });
      return { ok: true } as const;
    }
    return (await getApiKey(c, p.tenantId, p.keyId)) ? ({ ok: true } as const) : notFound('The key');
  });
}
