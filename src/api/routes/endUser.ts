import { revokeSessions } from '../../store/sessions';
import { getTenant } from '../../store/tenants';
import { findPasswordSubjectByEmail } from '../../store/users';
import { changePasswordWithToken, signIn } from '../endUserAuth';
import { completeWithLink } from '../passwordResetLink';
import { consume } from '../rateLimits';
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
import { startResetEmail } from '../workflowCommands';

export const endUserRoutes: RouteDef[] = [
  publicRoute(
    {
      method: 'post', path: '/auth/sign-in', tag: 'End users',
      summary: 'Sign in with a password; answers password_change_required (and no session) when the password must change',
      body: signInBody,
      responses: { 200: { description: 'Signed in, or a change is required first', schema: signInResponse } },
      problems: [401, 429],
    },
    async ({ deps, req, body }) => ({ status: 200, body: await signIn(deps, req, body) }),
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password/change', tag: 'End users',
      summary: 'Choose a new password with the change token from sign-in, and be signed in',
      body: passwordChangeBody,
      responses: { 200: { description: 'Password changed; signed in', schema: signedInResponse } },
      problems: [410, 422, 429, 503],
    },
    async ({ deps, req, body }) => ({ status: 200, body: await changePasswordWithToken(deps, req, body) }),
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
