import { requestResetByEmail, completeWithLink } from '../../services/resetLinks';
import { reportPasswordChange } from '../../services/passwordChangeReports';
import { signOut } from '../../services/sessions';
import { changePasswordWithToken, signIn } from '../../services/signIn';
import { clientOf } from '../client';
import { unwrap } from '../problems';
import { publicRoute, sessionRoute, type RouteDef } from '../route';
import {
  passwordChangeBody,
  passwordChangeReportBody,
  passwordChangeReportResponse,
  passwordResetBody,
  passwordResetResponse,
  resetRequestBody,
  sessionInfoResponse,
  signedInResponse,
  signInBody,
  signInResponse,
} from '../schemas';

export const endUserRoutes: RouteDef[] = [
  publicRoute(
    {
      method: 'post', path: '/auth/sign-in', operationId: 'signIn', tag: 'End users',
      summary: 'Sign in with a password; answers password_change_required (and no session) when the password must change',
      body: signInBody,
      responses: { 200: { description: 'Signed in, or a change is required first', schema: signInResponse } },
      problems: [401, 429],
    },
    async ({ deps, req, body }) => {
      const { ok: _ok, ...answer } = unwrap(await signIn(deps, { ...body, client: clientOf(req) }));
      return { status: 200, body: answer };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password/change', operationId: 'changePasswordAtSignIn', tag: 'End users',
      summary: 'Choose a new password with the change token from sign-in, and be signed in',
      body: passwordChangeBody,
      responses: { 200: { description: 'Password changed; signed in', schema: signedInResponse } },
      problems: [410, 422, 429, 503],
    },
    async ({ deps, req, body }) => {
      const { ok: _ok, ...answer } = unwrap(await changePasswordWithToken(deps, { ...body, client: clientOf(req) }), { policyField: 'newPassword', token: 'changeToken' });
      return { status: 200, body: answer };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password-reset', operationId: 'completePasswordReset', tag: 'End users',
      summary: 'Choose a new password with a reset link token',
      body: passwordResetBody,
      responses: { 200: { description: 'Password changed', schema: passwordResetResponse } },
      problems: [410, 422, 429, 503],
    },
    async ({ deps, req, body }) => {
      unwrap(await completeWithLink(deps, { ip: clientOf(req).ip ?? 'unknown', token: body.token, newPassword: body.newPassword }), { policyField: 'newPassword', token: 'link' });
      return { status: 200, body: { result: 'password_reset' } };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password-reset-request', operationId: 'requestPasswordReset', tag: 'End users',
      summary: 'Forgot password: email a reset link if the account has a password (the answer never tells)',
      body: resetRequestBody,
      responses: { 202: { description: 'Accepted, whether or not the account exists' } },
      problems: [429],
    },
    async ({ deps, req, body }) => {
      unwrap(await requestResetByEmail(deps, { tenantId: body.tenant, email: body.email, ip: clientOf(req).ip ?? 'unknown' }));
      return { status: 202, body: { result: 'accepted' } };
    },
  ),
  sessionRoute(
    {
      method: 'get', path: '/auth/session', operationId: 'getSession', tag: 'End users', summary: 'The current session',
      responses: { 200: { description: 'The session', schema: sessionInfoResponse } },
    },
    async ({ session }) => ({ status: 200, body: session }),
  ),
  sessionRoute(
    {
      method: 'post', path: '/auth/sign-out', operationId: 'signOut', tag: 'End users', summary: 'End the current session',
      responses: { 204: { description: 'Signed out' } },
    },
    async ({ deps, session }) => {
      await signOut(deps, session);
      return { status: 204 };
    },
  ),
  publicRoute(
    {
      method: 'post', path: '/auth/password-change-report', operationId: 'reportPasswordChange', tag: 'End users',
      summary: "\"This wasn't me\": with the token of a password-change notice, lock that password, end every session and cancel pending reset links",
      body: passwordChangeReportBody,
      responses: { 200: { description: 'The reported password is locked', schema: passwordChangeReportResponse } },
      problems: [410, 429],
    },
    async ({ deps, req, body }) => {
      unwrap(await reportPasswordChange(deps, { token: body.token, ip: clientOf(req).ip ?? 'unknown' }), { token: 'report' });
      return { status: 200, body: { result: 'password_locked' } };
    },
  ),
];
