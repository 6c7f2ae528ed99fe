import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { checkPasswordFor } from '../domain/passwordPolicy';
import { findChangeTokenByHash, insertChangeToken } from '../store/changeTokens';
import { getTenant } from '../store/tenants';
import { findPasswordSubjectByEmail, getPasswordSubject, upgradePasswordHash, type ChangeRequired } from '../store/users';
import { hashToken, newToken } from '../security/tokens';
import type { ApiDeps } from './deps';
import { Problem, problems } from './problems';
import { checkNotBlocked, consume, recordFailure } from './rateLimits';
import { createSession } from './userSessions';
import { changePasswordAtSignIn } from './workflowCommands';

/**
 * Sign-in and the password change it may demand, shared by the JSON API
 * (src/api/routes/endUser.ts) and the sign-in page (src/api/pages/signInPage.ts),
 * so both count attempts and answer alike.
 */

const CHANGE_TOKEN_TTL_MS = 10 * 60 * 1000;

export const invalidCredentials = () =>
  new Problem(401, 'invalid_credentials', 'Sign-in failed', 'The email address or password is not correct.');
const invalidChangeToken = () =>
  new Problem(400, 'invalid_token', 'Invalid change token', 'This password change is not valid any more. Sign in again.');

export type Session = { id: string; token: string; expiresAt: string };
export type SignInResult =
  | { result: 'signed_in'; session: Session }
  | { result: 'password_change_required'; reason: ChangeRequired; changeToken: string; expiresAt: string };

export async function signIn(deps: ApiDeps, req: Request, body: { tenant: string; email: string; password: string }): Promise<SignInResult> {
  await consume(deps.rateLimits.perIp, `sign-in:${req.ip}`);
  const account = `${body.tenant}:${body.email.toLowerCase()}`;
  await checkNotBlocked(deps.rateLimits.accountFailures, account);
  const user = await findPasswordSubjectByEmail(deps.pool, body.tenant, body.email);
  // Unknown email, federated-only user and wrong password cost the same argon2 work and answer alike.
  const ok = user?.passwordHash ? await deps.hasher.verify(user.passwordHash, body.password) : await deps.hasher.verifyDecoy(body.password);
  if (!ok || !user?.passwordHash) {
    await recordFailure(deps.rateLimits.accountFailures, account);
    throw invalidCredentials();
  }
  await deps.rateLimits.accountFailures.delete(account);
  if (deps.hasher.needsRehash(user.passwordHash)) {
    await upgradePasswordHash(deps.pool, user.id, user.passwordHash, await deps.hasher.hash(body.password));
  }
  if (user.changeRequired) {
    const changeToken = newToken();
    const now = deps.clock();
    const expiresAt = new Date(now.getTime() + CHANGE_TOKEN_TTL_MS);
    await insertChangeToken(deps.pool, {
      id: randomUUID(), tenantId: user.tenantId, userId: user.id, tokenHash: hashToken(changeToken), reason: user.changeRequired, now, expiresAt,
    });
    return { result: 'password_change_required', reason: user.changeRequired, changeToken, expiresAt: expiresAt.toISOString() };
  }
  return { result: 'signed_in', session: await createSession(deps, req, { tenantId: user.tenantId, userId: user.id }) };
}

export async function changePasswordWithToken(
  deps: ApiDeps,
  req: Request,
  body: { changeToken: string; newPassword: string },
): Promise<{ result: 'signed_in'; session: Session }> {
  await consume(deps.rateLimits.perIp, `change:${req.ip}`);
  const token = await findChangeTokenByHash(deps.pool, hashToken(body.changeToken));
  if (!token) throw invalidChangeToken();
  await consume(deps.rateLimits.perCredential, `change:${token.id}`);
  if (token.usedAt) throw new Problem(410, 'token_used', 'Already changed', 'This password change was already made. Sign in with your new password.');
  if (token.expiresAt <= deps.clock()) throw new Problem(410, 'token_expired', 'Too late', 'This password change took too long. Sign in again to start over.');
  const [tenant, user] = await Promise.all([getTenant(deps.pool, token.tenantId), getPasswordSubject(deps.pool, token.tenantId, token.userId)]);
  if (!tenant || !user) throw invalidChangeToken();
  const violations = checkPasswordFor(body.newPassword, tenant, user);
  if (violations.length > 0) throw problems.passwordPolicy('newPassword', violations);
  const result = await changePasswordAtSignIn(deps, { tenantId: tenant.id, userId: user.id, changeTokenId: token.id, newPassword: body.newPassword });
  if (!result.ok) throw result.code === 'password_policy' ? problems.passwordPolicy('newPassword', result.violations) : invalidChangeToken();
  return { result: 'signed_in', session: await createSession(deps, req, { tenantId: tenant.id, userId: user.id }) };
}
