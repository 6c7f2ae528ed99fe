import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { insertSession } from '../store/sessions';
import { hashToken, newToken } from '../security/tokens';
import type { ApiDeps } from './deps';

/** A new session: an opaque token for the user, only its hash stored. */
export async function createSession(deps: ApiDeps, req: Request, p: { tenantId: string; userId: string }) {
  const token = newToken();
  const id = randomUUID();
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlSeconds * 1000);
  await insertSession(deps.pool, {
    id, tenantId: p.tenantId, userId: p.userId, tokenHash: hashToken(token), now, expiresAt,
    userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
    ip: req.ip ?? null,
  });
  return { id, token, expiresAt: expiresAt.toISOString() };
}
