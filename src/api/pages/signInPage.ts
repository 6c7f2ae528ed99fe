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
import { isLocale, type MessageKey } from '../../i18n';
import { requestResetByEmail } from '../../services/resetLinks';
import { field, notice, page, sendPage, type PageChrome } from './layout';
import { fromThisSite, noStore } from './formOrigin';
import { langField, pageChrome, pageRefusal, policyText } from './pageLanguage';

/**
 * The end-user sign-in page, with no script: GET /sign-in?tenant=… shows the
 * form; POST /sign-in answers with the "choose a new password" step when the
 * password must change (the change token rides in a hidden field, never in a
 * URL); success sets an httpOnly, SameSite=Strict session cookie and redirects
 * to /signed-in. The attempts count exactly as on the JSON API (src/services/signIn.ts).
 */

const COOKIE = 'rf_session';

const REASONS: Record<ChangeRequired, MessageKey> = {
  temporary_password: 'change.reason.temporary_password',
  admin_forced: 'change.reason.admin_forced',
  scheduled_rotation: 'change.reason.scheduled_rotation',
  breached_password: 'change.reason.breached_password',
};

const signInForm = z.object({ tenant: tenantIdSchema, email: formText(254).transform((s) => s.trim()), password: formText(4096) });
const forgotForm = z.object({ tenant: tenantIdSchema, email: formText(254).transform((s) => s.trim()).pipe(z.string().min(1)) });
const changeForm = z.object({
  tenant: tenantIdSchema,
  changeToken: formText(512).pipe(z.string().min(1)),
  reason: changeRequiredSchema,
  newPassword: formText(4096),
  confirmPassword: formText(4096),
});

function send(res: Response, status: number, title: string, body: SafeHtml, c: PageChrome): void {
  noStore(res);
  sendPage(res, status, page(title, body, c), c);
}

/** A page's address, keeping an explicit language. */
function withLang(req: Request, path: string, tenant: string): string {
  const lang = req.query['lang'] ?? (req.body as Record<string, unknown> | undefined)?.['lang'];
  return `${path}?tenant=${encodeURIComponent(tenant)}${isLocale(lang) ? `&lang=${encodeURIComponent(lang)}` : ''}`;
}

function signInBody(req: Request, c: PageChrome, t: Tenant, o: { email?: string; errors?: { email?: string; password?: string }; alert?: string; info?: string } = {}) {
  const e = o.errors ?? {};
  return html`<h1>${c.t('signIn.title')}</h1>
<p>${c.t('signIn.to', { tenant: t.name })}</p>
${o.info ? notice('info', o.info) : ''}
${o.alert ? notice('bad', o.alert, 'form-error') : ''}
<form method="post" action="/sign-in" novalidate>
  <input type="hidden" name="tenant" value="${t.id}">
  ${langField(req)}
  ${field({ id: 'email', label: c.t('field.email'), type: 'email', autocomplete: 'username', value: o.email ?? '', error: e.email, autofocus: !e.password })}
  ${field({ id: 'password', label: c.t('field.password'), type: 'password', autocomplete: 'current-password', error: e.password, autofocus: Boolean(e.password && !e.email) })}
  <div class="actions"><button type="submit" class="btn primary">${c.t('signIn.submit')}</button></div>
</form>
<p><a href="${withLang(req, '/forgot-password', t.id)}">${c.t('signIn.forgot')}</a></p>`;
}

function changeBody(req: Request, c: PageChrome, t: Tenant, o: { changeToken: string; reason: ChangeRequired; errors?: { newPassword?: string; confirmPassword?: string }; alert?: string }) {
  const e = o.errors ?? {};
  const policy = t.settings.passwordPolicy;
  return html`<h1>${c.t('password.chooseTitle')}</h1>
${notice('info', html`<span id="change-reason">${c.t(REASONS[o.reason])}</span>`)}
${o.alert ? notice('bad', o.alert, 'form-error') : ''}
<form method="post" action="/sign-in/change" novalidate>
  <input type="hidden" name="tenant" value="${t.id}">
  <input type="hidden" name="changeToken" value="${o.changeToken}">
  <input type="hidden" name="reason" value="${o.reason}">
  ${langField(req)}
  ${field({
    id: 'newPassword', label: c.t('field.newPassword'), type: 'password', autocomplete: 'new-password', error: e.newPassword, autofocus: !e.confirmPassword,
    hint: policy.historyCount > 0 ? c.t('password.hintHistory', { min: policy.minLength, history: policy.historyCount }) : c.t('password.hint', { min: policy.minLength }),
  })}
  ${field({ id: 'confirmPassword', label: c.t('field.confirmPassword'), type: 'password', autocomplete: 'new-password', error: e.confirmPassword, autofocus: Boolean(e.confirmPassword && !e.newPassword) })}
  <div class="actions"><button type="submit" class="btn primary">${c.t('change.submit')}</button></div>
</form>`;
}

function forgotBody(req: Request, c: PageChrome, t: Tenant, o: { email?: string; error?: string; alert?: string } = {}) {
  return html`<h1>${c.t('forgot.title')}</h1>
<p>${c.t('forgot.intro')}</p>
${o.alert ? notice('bad', o.alert, 'form-error') : ''}
<form method="post" action="/forgot-password" novalidate>
  <input type="hidden" name="tenant" value="${t.id}">
  ${langField(req)}
  ${field({ id: 'email', label: c.t('field.email'), type: 'email', autocomplete: 'username', value: o.email ?? '', error: o.error, autofocus: true })}
  <div class="actions"><button type="submit" class="btn primary">${c.t('forgot.submit')}</button></div>
</form>
<p><a href="${withLang(req, '/sign-in', t.id)}">${c.t('forgot.back')}</a></p>`;
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


/** The tenant a page names; answers 404 (in the browser's language) when there is none. */
async function tenantFor(deps: HttpDeps, req: Request, res: Response, raw: unknown): Promise<{ tenant: Tenant; c: PageChrome } | undefined> {
  const id = tenantIdSchema.safeParse(raw);
  const tenant = id.success ? await findTenant(deps, id.data) : undefined;
  if (!tenant) {
    const c = pageChrome(req);
    send(res, 404, c.t('page.unknownTenant.title'), html`<h1>${c.t('page.unknownTenant.title')}</h1>${notice('bad', c.t('page.unknownTenant.text'))}`, c);
    return undefined;
  }
  return { tenant, c: pageChrome(req, tenant) };
}

function refusedCrossSite(req: Request, res: Response): void {
  const c = pageChrome(req);
  send(res, 403, c.t('page.refused.title'), html`<h1>${c.t('page.refused.title')}</h1>${notice('bad', c.t('page.refused.text'))}`, c);
}

export function signInPages(deps: HttpDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', verify: utf8Only });

  router.get('/sign-in', async (req, res) => {
    const found = await tenantFor(deps, req, res, req.query['tenant']);
    if (!found) return;
    const { tenant, c } = found;
    send(res, 200, c.t('signIn.title'), signInBody(req, c, tenant, req.query['signedOut'] === '1' ? { info: c.t('signIn.signedOut') } : {}), c);
  });

  router.post('/sign-in', form, async (req, res) => {
    if (!fromThisSite(deps, req)) return refusedCrossSite(req, res);
    const found = await tenantFor(deps, req, res, req.body?.tenant);
    if (!found) return;
    const { tenant, c } = found;
    const parsed = signInForm.safeParse(req.body);
    const email = parsed.success ? parsed.data.email : '';
    const errors = {
      ...(!email ? { email: c.t('error.enterEmail') } : {}),
      ...(!parsed.success || !parsed.data.password ? { password: c.t('error.enterPassword') } : {}),
    };
    if (!parsed.success || Object.keys(errors).length > 0) {
      return send(res, 400, c.t('signIn.title'), signInBody(req, c, tenant, { email, errors, alert: c.t('error.fillMarked') }), c);
    }
    const result = await signIn(deps, { tenant: tenant.id, email, password: parsed.data.password, client: clientOf(req) });
    if (!result.ok) {
      const r = pageRefusal(c.t, result);
      if (result.code === 'invalid_credentials') {
        return send(res, 401, c.t('signIn.title'), signInBody(req, c, tenant, { email, errors: { password: r.text } }), c);
      }
      return send(res, r.status, c.t('signIn.title'), signInBody(req, c, tenant, { email, alert: r.text }), c);
    }
    if (result.result === 'signed_in') {
      setSessionCookie(deps, res, result.session);
      return res.redirect(303, withLang(req, '/signed-in', tenant.id));
    }
    send(res, 200, c.t('password.chooseTitle'), changeBody(req, c, tenant, { changeToken: result.changeToken, reason: result.reason }), c);
  });

  router.post('/sign-in/change', form, async (req, res) => {
    if (!fromThisSite(deps, req)) return refusedCrossSite(req, res);
    const found = await tenantFor(deps, req, res, req.body?.tenant);
    if (!found) return;
    const { tenant, c } = found;
    const signInAgain = html`<p><a href="${withLang(req, '/sign-in', tenant.id)}">${c.t('signIn.again')}</a></p>`;
    const parsed = changeForm.safeParse(req.body);
    if (!parsed.success) {
      return send(res, 400, c.t('signIn.again'), html`<h1>${c.t('signIn.again')}</h1>${notice('bad', c.t('signIn.incomplete'))}${signInAgain}`, c);
    }
    const { changeToken, reason, newPassword, confirmPassword } = parsed.data;
    const again = (errors: { newPassword?: string; confirmPassword?: string }, status: number, alert?: string) =>
      send(res, status, c.t('password.chooseTitle'), changeBody(req, c, tenant, { changeToken, reason, errors, ...(alert ? { alert } : {}) }), c);
    if (!newPassword) return again({ newPassword: c.t('error.enterNewPassword') }, 400);
    if (newPassword !== confirmPassword) return again({ confirmPassword: c.t('error.passwordsDiffer') }, 422);
    const result = await changePasswordWithToken(deps, { changeToken, newPassword, client: clientOf(req) });
    if (result.ok) {
      setSessionCookie(deps, res, result.session);
      return res.redirect(303, withLang(req, '/signed-in', tenant.id));
    }
    if (result.code === 'password_policy') return again({ newPassword: policyText(c.t, result.violations, tenant.settings.passwordPolicy) }, 422);
    const r = pageRefusal(c.t, result, { token: 'changeToken' });
    if (result.code === 'rate_limited') return again({}, 429, r.text);
    send(res, r.status, r.title, html`<h1>${r.title}</h1>${notice('bad', r.text)}${signInAgain}`, c);
  });

  router.get('/forgot-password', async (req, res) => {
    const found = await tenantFor(deps, req, res, req.query['tenant']);
    if (!found) return;
    send(res, 200, found.c.t('forgot.title'), forgotBody(req, found.c, found.tenant), found.c);
  });

  // The same request as POST /auth/password-reset-request (src/api/routes/endUser.ts), from a form: the answer never tells whether the account exists.
  router.post('/forgot-password', form, async (req, res) => {
    if (!fromThisSite(deps, req)) return refusedCrossSite(req, res);
    const found = await tenantFor(deps, req, res, req.body?.tenant);
    if (!found) return;
    const { tenant, c } = found;
    const parsed = forgotForm.safeParse(req.body);
    if (!parsed.success) return send(res, 400, c.t('forgot.title'), forgotBody(req, c, tenant, { error: c.t('error.enterEmail') }), c);
    const result = await requestResetByEmail(deps, { tenantId: tenant.id, email: parsed.data.email, ip: clientOf(req).ip ?? 'unknown' });
    if (!result.ok) {
      const r = pageRefusal(c.t, result);
      return send(res, r.status, c.t('forgot.title'), forgotBody(req, c, tenant, { email: parsed.data.email, alert: r.text }), c);
    }
    send(res, 202, c.t('forgot.sent.title'), html`<h1>${c.t('forgot.sent.title')}</h1>${notice('ok', c.t('forgot.sent.text', { email: parsed.data.email }))}
<p><a href="${withLang(req, '/sign-in', tenant.id)}">${c.t('forgot.back')}</a></p>`, c);
  });

  router.get('/signed-in', async (req, res) => {
    const found = await tenantFor(deps, req, res, req.query['tenant']);
    if (!found) return;
    const { tenant } = found;
    const token = readCookie(req, COOKIE);
    const session = token ? await findSession(deps, token) : undefined;
    const got = session?.tenantId === tenant.id ? await existingUser(deps, tenant.id, session.userId) : undefined;
    const user = got?.ok ? got.user : undefined;
    if (!session || !user) {
      const c = found.c;
      res.clearCookie(COOKIE, { path: '/' });
      return send(res, 200, c.t('notSignedIn.title'), html`<h1>${c.t('notSignedIn.title')}</h1>
${notice('info', token ? c.t('notSignedIn.ended') : c.t('notSignedIn.none'))}
<p><a class="btn primary" href="${withLang(req, '/sign-in', tenant.id)}">${c.t('signIn.submit')}</a></p>`, c);
    }
    const c = pageChrome(req, tenant, user.locale);
    send(res, 200, c.t('signedIn.title'), html`<h1>${c.t('signedIn.title')}</h1>
${notice('ok', c.t('signedIn.welcome', { name: user.displayName ?? user.email, tenant: tenant.name, email: user.email }))}
<p class="hint">${c.t('signedIn.hint')}</p>
<form method="post" action="/sign-out">
  <input type="hidden" name="tenant" value="${tenant.id}">
  ${langField(req)}
  <div class="actions"><button type="submit" class="btn">${c.t('signedIn.signOut')}</button></div>
</form>`, c);
  });

  router.post('/sign-out', form, async (req, res) => {
    if (!fromThisSite(deps, req)) return refusedCrossSite(req, res);
    const token = readCookie(req, COOKIE);
    const session = token ? await findSession(deps, token) : undefined;
    if (session) await signOut(deps, session);
    res.clearCookie(COOKIE, { path: '/' });
    const tenant = tenantIdSchema.safeParse(req.body?.tenant);
    res.redirect(303, tenant.success ? `${withLang(req, '/sign-in', tenant.data)}&signedOut=1` : '/sign-in');
  });

  return router;
}
