import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Actor } from '../domain/actor';
import { findApiKeyByHash } from '../store/apiKeys';
import { touchSession, type SessionPrincipal } from '../store/sessions';
import { hashToken } from '../security/tokens';
import type { ApiDeps } from './deps';
import { problems } from './problems';

/** The platform key acts on every tenant; a tenant key on its own tenant only. */
export type AdminPrincipal = { scope: 'platform'; actor: Actor } | { scope: 'tenant'; tenantId: string; actor: Actor };

export const PLATFORM_ACTOR: Actor = { type: 'admin', id: 'platform', name: 'platform admin key' };

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

export async function authenticateAdmin(req: Request, deps: ApiDeps): Promise<AdminPrincipal> {
  const key = bearer(req);
  if (!key) throw problems.unauthenticated();
  const hash = hashToken(key);
  if (timingSafeEqual(hash, deps.platformKeyHash)) return { scope: 'platform', actor: PLATFORM_ACTOR };
  const record = await findApiKeyByHash(deps.pool, hash);
  if (!record) throw problems.unauthenticated('The key is not valid.');
  return { scope: 'tenant', tenantId: record.tenantId, actor: { type: 'admin', id: record.id, name: record.name } };
}

export async function authenticateSession(req: Request, deps: ApiDeps): Promise<SessionPrincipal> {
  const token = bearer(req);
  if (!token) throw problems.unauthenticated('Send the session token as "Authorization: Bearer <token>".');
  const session = await touchSession(deps.pool, hashToken(token), deps.clock());
  if (!session) throw problems.unauthenticated('The session is not valid or has ended.');
  return session;
}
