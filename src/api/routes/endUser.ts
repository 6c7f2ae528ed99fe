import { randomUUID } from 'node:crypto';
import { checkPasswordFor } from '../../domain/passwordPolicy';
import { findChangeTokenByHash, insertChangeToken } from '../../store/changeTokens';
import { revokeSessions } from '../../store/sessions';
import { getTenant } from '../../store/tenants';
import { findPasswordSubjectByEmail, getPasswordSubject, upgradePasswordHash } from '../../store/users';
import { hashToken, newToken } from '../../security/tokens';
import { completeWithLink } from '../passwordResetLink';
import { Problem, problems } from '../problems';
import { checkNotBlocked, consume, recordFailure } from '../rateLimits';
import { publicRoute, sessionRoute, type RouteDef } from '../route';
import {
  passwordChangeBody,
  passwordResetBody,
  passwordResetResponse,
  resetRequestBody,
  sessionInfoResponse,
  signedInResponse,
  signInBody,
  signInResponse,
} from '../schemas';
import { createSession } from '../userSessions';
import { changePasswordAtSignIn, startResetEmail } from '../workflowCommands';

const CHANGE_TOKEN_TTL_MS = 10 * 60 * 1000;

const invalidCredentials = () =>
  new Problem(401, 'invalid_credentials', 'Sign-in failed', 'The email address or password is not correct.');
const invalidChangeToken = () =>
  new Problem(400, 'invalid_token', 'Invalid change token', 'This password change is not valid any more. Sign in again.');

export const endUserRoutes: RouteDef[] = [
  publicRoute(
    {
      method: 'post', path: '/auth/sign-in', tag: 'End users',
      summary: 'Sign in with a password; answers password_change_required (and no session) when the password must change',
      body: signInBody,
      responses: { 200: { description: 'Signed in, or a change is required first', schema: signInResponse } },
      problems: [401, 429],
    },
    async ({ deps, req, body }) => {
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
        return { status: 200, body: { result: 'password_change_required', reason: user.changeRequired, changeToken, expiresAt: expiresAt.toISOString() } };
      }
      return { status: 200, body: { result: 'signed_in', session: await createSession(deps, req, { tenantId: user.tenantId, userId: user.id }) } };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password/change', tag: 'End users',
      summary: 'Choose a new password with the change token from sign-in, and be signed in',
      body: passwordChangeBody,
      responses: { 200: { description: 'Password changed; signed in', schema: signedInResponse } },
      problems: [410, 422, 429, 503],
    },
    async ({ deps, req, body }) => {
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
      return { status: 200, body: { result: 'signed_in', session: await createSession(deps, req, { tenantId: tenant.id, userId: user.id }) } };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password-reset', tag: 'End users',
      summary: 'Choose a new password with a reset link token',
      body: passwordResetBody,
      responses: { 200: { description: 'Password changed', schema: passwordResetResponse } },
      problems: [410, 422, 429, 503],
    },
    async ({ deps, req, body }) => {
      await completeWithLink(deps, req.ip ?? 'unknown', body.token, body.newPassword);
      return { status: 200, body: { result: 'password_reset' } };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password-reset-request', tag: 'End users',
      summary: 'Forgot password: email a reset link if the account has a password (the answer never tells)',
      body: resetRequestBody,
      responses: { 202: { description: 'Accepted, whether or not the account exists' } },
      problems: [429],
    },
    async ({ deps, req, body }) => {
      await consume(deps.rateLimits.perIp, `reset-request:${req.ip}`);
      await consume(deps.rateLimits.resetRequests, `${body.tenant}:${body.email.toLowerCase()}`);
      const [tenant, user] = await Promise.all([getTenant(deps.pool, body.tenant), findPasswordSubjectByEmail(deps.pool, body.tenant, body.email)]);
      if (tenant && user?.passwordHash) {
        // Not awaited: the answer takes the same time whether or not a reset starts.
        startResetEmail(deps, { tenant, userId: user.id, actor: { type: 'user', id: user.id }, revokeSessions: false }).catch((err) =>
          deps.log.error('self-service reset did not start', { tenantId: tenant.id, userId: user.id, error: String(err) }),
        );
      }
      return { status: 202, body: { result: 'accepted' } };
    },
  ),
  sessionRoute(
    {
      method: 'get', path: '/auth/session', tag: 'End users', summary: 'The current session',
      responses: { 200: { description: 'The session', schema: sessionInfoResponse } },
    },
    async ({ session }) => ({ status: 200, body: session }),
  ),
  sessionRoute(
    {
      method: 'post', path: '/auth/sign-out', tag: 'End users', summary: 'End the current session',
      responses: { 204: { description: 'Signed out' } },
    },
    async ({ deps, session }) => {
      await revokeSessions(deps.pool, { tenantId: session.tenantId, userId: session.userId, sessionId: session.sessionId, now: deps.clock() });
      return { status: 204 };
    },
  ),
];
