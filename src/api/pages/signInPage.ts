import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { tenantIdSchema } from '../../contract/ids';
import { changeRequiredSchema, type ChangeRequired } from '../../contract/vocabulary';
import { html, type SafeHtml } from '../../html';
import { findSession, signOut, type Session } from '../../services/sessions';
import { changePasswordWithToken, signIn } from '../../services/signIn';
import { findTenant, type Tenant } from '../../services/tenants';
import { existingUser } from '../../services/users';
import { clientOf } from '../client';
import type { HttpDeps } from '../deps';
import { formText, utf8Only } from '../inputHygiene';
import { problemFor } from '../problems';
import { field, notice, page } from './layout';

/**
 * The end-user sign-in page, with no script: GET /sign-in?tenant=… shows the
 * form; POST /sign-in answers with the "choose a new password" step when the
 * password must change (the change token rides in a hidden field, never in a
 * URL); success sets an httpOnly, SameSite=Strict session cookie and redirects
 * to /signed-in. The attempts count exactly as on the JSON API (src/services/signIn.ts).
 */

const COOKIE = 'rf_session';

const REASONS: Record<ChangeRequired, string> = {
  temporary_password: 'Your administrator gave you a temporary password. Choose your own password to continue.',
  admin_forced: 'Your administrator asks you to choose a new password before you continue.',
  scheduled_rotation: 'Your organisation asks you to change your password from time to time, and it is time now. Choose a new password to continue.',
  breached_password: 'Your password is correct, but it appears in a list of passwords exposed in data breaches on other websites, so attackers may try it. Choose a new password, one you have not used anywhere else, to continue.',
};

const signInForm = z.object({ tenant: tenantIdSchema, email: formText(254).transform((s) => s.trim()), password: formText(4096) });
const changeForm = z.object({
  tenant: tenantIdSchema,
  changeToken: formText(512).pipe(z.string().min(1)),
  reason: changeRequiredSchema,
  newPassword: formText(4096),
  confirmPassword: formText(4096),
});

function send(res: Response, status: number, title: string, body: SafeHtml, org?: string): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).status(status).type('html').send(page(title, body, { org }));
}

function signInUrl(tenant: string): string {
  return `/sign-in?tenant=${encodeURIComponent(tenant)}`;
}

function signInBody(t: Tenant, o: { email?: string; errors?: { email?: string; password?: string }; alert?: string; info?: string } = {}) {
  const e = o.errors ?? {};
  return html`<h1>Sign in</h1>
<p>to <strong>${t.name}</strong></p>
${o.info ? notice('info', o.info) : ''}
${o.alert ? notice('bad', o.alert, 'form-error') : ''}
<form method="post" action="/sign-in" novalidate>
  <input type="hidden" name="tenant" value="${t.id}">
  ${field({ id: 'email', label: 'Email address', type: 'email', autocomplete: 'username', value: o.email ?? '', error: e.email, autofocus: !e.password })}
  ${field({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: e.password, autofocus: Boolean(e.password && !e.email) })}
  <div class="actions"><button type="submit" class="btn primary">Sign in</button></div>
</form>`;
}

function changeBody(t: Tenant, o: { changeToken: string; reason: ChangeRequired; errors?: { newPassword?: string; confirmPassword?: string }; alert?: string }) {
  const e = o.errors ?? {};
  const policy = t.settings.passwordPolicy;
  return html`<h1>Choose a new password</h1>
${notice('info', html`<span id="change-reason">${REASONS[o.reason]}</span>`)}
${o.alert ? notice('bad', o.alert, 'form-error') : ''}
<form method="post" action="/sign-in/change" novalidate>
  <input type="hidden" name="tenant" value="${t.id}">
  <input type="hidden" name="changeToken" value="${o.changeToken}">
  <input type="hidden" name="reason" value="${o.reason}">
  ${field({
    id: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', error: e.newPassword, autofocus: !e.confirmPassword,
    hint: `At least ${policy.minLength} characters${policy.historyCount > 0 ? `, and none of your last ${policy.historyCount} passwords` : ''}. A few unrelated words make a strong password that is easy to remember.`,
  })}
  ${field({ id: 'confirmPassword', label: 'Confirm new password', type: 'password', autocomplete: 'new-password', error: e.confirmPassword, autofocus: Boolean(e.confirmPassword && !e.newPassword) })}
  <div class="actions"><button type="submit" class="btn primary">Change password and sign in</button></div>
</form>`;
}

/** The cookie's value; a malformed cookie header is a missing cookie, never an error. */
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      const value = decodeURIComponent(v.join('='));
      return /^[A-Za-z0-9_-]{1,512}$/.test(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function setSessionCookie(deps: HttpDeps, res: Response, session: Session): void {
  res.cookie(COOKIE, session.token, {
    httpOnly: true, sameSite: 'strict', secure: deps.publicUrl.startsWith('https:'), path: '/', expires: new Date(session.expiresAt),
  });
}

/**
 * Form posts from another site are refused (login CSRF). Browsers say where a
 * request comes from in Sec-Fetch-Site; Origin is "null" on these pages, whose
 * Referrer-Policy is no-referrer, so it only counts when it names a site.
 */
function sameOrigin(deps: HttpDeps, req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (!origin || origin === 'null') return true;
  return origin === new URL(deps.publicUrl).origin || origin === `${req.protocol}://${req.get('host')}`;
}

async function tenantFor(deps: HttpDeps, res: Response, raw: unknown): Promise<Tenant | undefined> {
  const id = tenantIdSchema.safeParse(raw);
  const tenant = id.success ? await findTenant(deps, id.data) : undefined;
  if (!tenant) {
    send(res, 404, 'Unknown organisation', html`<h1>Unknown organisation</h1>${notice('bad', 'This sign-in address does not name an organisation we know. Use the sign-in link your organisation gave you.')}`);
  }
  return tenant;
}

export function signInPages(deps: HttpDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', verify: utf8Only });

  router.get('/sign-in', async (req, res) => {
    const tenant = await tenantFor(deps, res, req.query['tenant']);
    if (!tenant) return;
    send(res, 200, 'Sign in', signInBody(tenant, req.query['signedOut'] === '1' ? { info: 'You are signed out.' } : {}), tenant.name);
  });

  router.post('/sign-in', form, async (req, res) => {
    if (!sameOrigin(deps, req)) return send(res, 403, 'Refused', html`<h1>Refused</h1>${notice('bad', 'This form was sent from another site.')}`);
    const tenant = await tenantFor(deps, res, req.body?.tenant);
    if (!tenant) return;
    const parsed = signInForm.safeParse(req.body);
    const email = parsed.success ? parsed.data.email : '';
    const errors = {
      ...(!email ? { email: 'Enter your email address.' } : {}),
      ...(!parsed.success || !parsed.data.password ? { password: 'Enter your password.' } : {}),
    };
    if (!parsed.success || Object.keys(errors).length > 0) {
      return send(res, 400, 'Sign in', signInBody(tenant, { email, errors, alert: 'Fill in the fields marked below.' }), tenant.name);
    }
    const result = await signIn(deps, { tenant: tenant.id, email, password: parsed.data.password, client: clientOf(req) });
    if (!result.ok) {
      const problem = problemFor(result);
      if (result.code === 'invalid_credentials') {
        return send(res, 401, 'Sign in', signInBody(tenant, { email, errors: { password: problem.detail } }), tenant.name);
      }
      return send(res, problem.status, 'Sign in', signInBody(tenant, { email, alert: problem.detail }), tenant.name);
    }
    if (result.result === 'signed_in') {
      setSessionCookie(deps, res, result.session);
      return res.redirect(303, `/signed-in?tenant=${encodeURIComponent(tenant.id)}`);
    }
    send(res, 200, 'Choose a new password', changeBody(tenant, { changeToken: result.changeToken, reason: result.reason }), tenant.name);
  });

  router.post('/sign-in/change', form, async (req, res) => {
    if (!sameOrigin(deps, req)) return send(res, 403, 'Refused', html`<h1>Refused</h1>${notice('bad', 'This form was sent from another site.')}`);
    const tenant = await tenantFor(deps, res, req.body?.tenant);
    if (!tenant) return;
    const parsed = changeForm.safeParse(req.body);
    if (!parsed.success) {
      return send(res, 400, 'Sign in again', html`<h1>Sign in again</h1>${notice('bad', 'The form was not complete.')}<p><a href="${signInUrl(tenant.id)}">Sign in again</a></p>`, tenant.name);
    }
    const { changeToken, reason, newPassword, confirmPassword } = parsed.data;
    const again = (errors: { newPassword?: string; confirmPassword?: string }, status: number, alert?: string) =>
      send(res, status, 'Choose a new password', changeBody(tenant, { changeToken, reason, errors, ...(alert ? { alert } : {}) }), tenant.name);
    if (!newPassword) return again({ newPassword: 'Enter a new password.' }, 400);
    if (newPassword !== confirmPassword) return again({ confirmPassword: 'The two passwords are not the same. Type the new password again.' }, 422);
    const result = await changePasswordWithToken(deps, { changeToken, newPassword, client: clientOf(req) });
    if (result.ok) {
      setSessionCookie(deps, res, result.session);
      return res.redirect(303, `/signed-in?tenant=${encodeURIComponent(tenant.id)}`);
    }
    if (result.code === 'password_policy') return again({ newPassword: result.violations.map((v) => v.message).join(' ') }, 422);
    const problem = problemFor(result, { token: 'changeToken' });
    if (result.code === 'rate_limited') return again({}, 429, problem.detail);
    send(res, problem.status, problem.title, html`<h1>${problem.title}</h1>${notice('bad', problem.detail)}<p><a href="${signInUrl(tenant.id)}">Sign in again</a></p>`, tenant.name);
  });

  router.get('/signed-in', async (req, res) => {
    const tenant = await tenantFor(deps, res, req.query['tenant']);
    if (!tenant) return;
    const token = readCookie(req, COOKIE);
    const session = token ? await findSession(deps, token) : undefined;
    const found = session?.tenantId === tenant.id ? await existingUser(deps, tenant.id, session.userId) : undefined;
    const user = found?.ok ? found.user : undefined;
    if (!session || !user) {
      res.clearCookie(COOKIE, { path: '/' });
      return send(res, 200, 'Not signed in', html`<h1>You are not signed in</h1>
${notice('info', token ? 'Your session has ended: it expired, you signed out, or an administrator signed you out.' : 'You have no session here.')}
<p><a class="btn primary" href="${signInUrl(tenant.id)}">Sign in</a></p>`, tenant.name);
    }
    send(res, 200, 'Signed in', html`<h1>You are signed in</h1>
${notice('ok', html`Welcome, <strong>${user.displayName ?? user.email}</strong>. You are signed in to ${tenant.name} as ${user.email}.`)}
<p class="hint">This page stands in for the application you signed in to.</p>
<form method="post" action="/sign-out">
  <input type="hidden" name="tenant" value="${tenant.id}">
  <div class="actions"><button type="submit" class="btn">Sign out</button></div>
</form>`, tenant.name);
  });

  router.post('/sign-out', form, async (req, res) => {
    if (!sameOrigin(deps, req)) return send(res, 403, 'Refused', html`<h1>Refused</h1>${notice('bad', 'This form was sent from another site.')}`);
    const token = readCookie(req, COOKIE);
    const session = token ? await findSession(deps, token) : undefined;
    if (session) await signOut(deps, session);
    res.clearCookie(COOKIE, { path: '/' });
    const tenant = tenantIdSchema.safeParse(req.body?.tenant);
    res.redirect(303, tenant.success ? `${signInUrl(tenant.data)}&signedOut=1` : '/sign-in');
  });

  return router;
}
