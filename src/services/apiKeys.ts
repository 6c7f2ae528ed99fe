import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../contract/vocabulary';
import { PLATFORM_ACTOR } from '../domain/actors';
import { findApiKeyByHash, insertApiKey } from '../store/apiKeys';
import { hashToken, newToken } from '../security/tokens';
import type { ServiceDeps } from './deps';

/** The platform key acts on every tenant; a tenant key on its own tenant only. */
export type AdminPrincipal = { scope: 'platform'; actor: Actor } | { scope: 'tenant'; tenantId: string; actor: Actor };

/** The admin a bearer key stands for, or undefined for a key that is not (or no longer) valid. */
export async function authenticateAdminKey(deps: Pick<ServiceDeps, 'pool' | 'platformKeyHash'>, key: string): Promise<AdminPrincipal | undefined> {
  const hash = hashToken(key);
  if (timingSafeEqual(hash, deps.platformKeyHash)) return { scope: 'platform', actor: PLATFORM_ACTOR };
  const record = await findApiKeyByHash(deps.pool, hash);
  if (!record) return undefined;
  return { scope: 'tenant', tenantId: record.tenantId, actor: { type: 'admin', id: record.id, name: record.name } };
}

/** A new tenant key: shown once, only its hash stored. */
export async function createApiKey(deps: Pick<ServiceDeps, 'pool'>, p: { tenantId: string; name: string }): Promise<{ id: string; name: string; tenantId: string; key: string }> {
  const key = `rfk_${newToken()}`;
  const id = randomUUID();
  await insertApiKey(deps.pool, { id, tenantId: p.tenantId, name: p.name, keyHash: hashToken(key) });
  return { id, name: p.name, tenantId: p.tenantId, key };
}
