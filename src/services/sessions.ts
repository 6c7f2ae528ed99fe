import { randomUUID } from 'node:crypto';
import type { Actor } from '../contract/vocabulary';
import { findActiveSession, insertSession, listActiveSessions, markSessionSeen, revokeSessions, touchSession, type SessionPrincipal, type SessionView } from '../store/sessions';
import { inTransaction } from '../db/pool';
import { insertAuditEvent } from '../store/audit';

export type { SessionPrincipal };
import { hashToken, newToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { notFound, type NotFound } from './failures';
import { existingUser } from './users';

/** End-user sessions: created at sign-in, seen by every request that carries the token, revoked by the user or an admin. */

/** Who is asking, as the HTTP edge saw it (for the Sessions tab: device and address). */
export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export interface Session {
  id: string;
  token: string;
  expiresAt: string;
}

/** A new session: an opaque token for the user, only its hash stored. */
export async function createSession(
  deps: Pick<ServiceDeps, 'pool' | 'clock' | 'sessionTtlSeconds'>,
  p: { tenantId: string; userId: string; client: Client },
): Promise<Session> {
  const token = newToken();
  const id = randomUUID();
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlSeconds * 1000);
  await insertSession(deps.pool, {
    id, tenantId: p.tenantId, userId: p.userId, tokenHash: hashToken(token), now, expiresAt,
    userAgent: p.client.userAgent?.slice(0, 500) ?? null,
    ip: p.client.ip,
  });
  return { id, token, expiresAt: expiresAt.toISOString() };
}

/** The active session of this token, marked as seen now. */
export async function findSession(deps: Pick<ServiceDeps, 'pool' | 'clock'>, token: string): Promise<SessionPrincipal | undefined> {
  return touchSession(deps.pool, hashToken(token), deps.clock());
}

/**
 * The active session of this token, and how to record its use: an API request records it
 * only once the request was found well-formed, so a refused request writes nothing.
 */
export async function lookUpSession(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  token: string,
): Promise<{ session: SessionPrincipal; markSeen: () => Promise<void> } | undefined> {
  const session = await findActiveSession(deps.pool, hashToken(token), deps.clock());
  return session ? { session, markSeen: () => markSessionSeen(deps.pool, session.sessionId, deps.clock()) } : undefined;
}

/** The user ends their own session (not audited: api.md has no action for it). */
export async function signOut(deps: Pick<ServiceDeps, 'pool' | 'clock'>, session: SessionPrincipal): Promise<void> {
  await revokeSessions(deps.pool, { tenantId: session.tenantId, userId: session.userId, sessionId: session.sessionId, now: deps.clock() });
}

export async function listUserSessions(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  tenantId: string,
  userId: string,
): Promise<{ ok: true; items: SessionView[] } | NotFound> {
  const user = await existingUser(deps, tenantId, userId);
  if (!user.ok) return user;
  return { ok: true, items: await listActiveSessions(deps.pool, tenantId, userId, deps.clock()) };
}

/** An admin revokes one session (`sessionId`) or all of a user's; audited `user.sessions_revoked` when any was active. */
export async function revokeUserSessions(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenantId: string; userId: string; sessionId?: string | undefined; actor: Actor },
): Promise<{ ok: true; revoked: number } | NotFound> {
  const user = await existingUser(deps, p.tenantId, p.userId);
  if (!user.ok) return user;
  const now = deps.clock();
  // revoked and audited in one transaction, audited only when any session was active
  const revoked = await inTransaction(deps.pool, async (c) => {
    const count = await revokeSessions(c, { tenantId: p.tenantId, userId: p.userId, sessionId: p.sessionId, now });
    if (count > 0) {
      await insertAuditEvent(c, {
        idempotencyKey: `api:${randomUUID()}`, tenantId: p.tenantId, userId: p.userId, action: 'user.sessions_revoked', actor: p.actor,
        data: p.sessionId ? { count, sessionId: p.sessionId } : { count }, occurredAt: now,
      });
    }
    return count;
  });
  if (p.sessionId && revoked === 0) return notFound('An active session with this id');
  return { ok: true, revoked };
}
