import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { html } from '../../html';
import { completeWithLink, inspectResetLink } from '../../services/resetLinks';
import type { ServiceFailure } from '../../services/failures';
import type { HttpDeps } from '../deps';
import { formText, utf8Only } from '../inputHygiene';
import { field, notice, page, sendMessagePage, sendPage, type PageChrome } from './layout';
import { fromThisSite, noStore } from './formOrigin';
import { langField, pageChrome, pageRefusal, policyText } from './pageLanguage';

/**
 * GET /reset-password?token=… shows where the link stands and, while it works,
 * a form that posts (no script needed) to /auth/password-reset. Opening the
 * page never consumes the link: mail scanners open links too. The page speaks
 * the user's language (the link knows the user) unless ?lang= says otherwise.
 */
const formSchema = z.strictObject({
  token: formText(512),
  newPassword: formText(4096),
  confirmPassword: formText(4096),
  lang: formText(16).optional(),
});

type FormErrors = { newPassword?: string; confirmPassword?: string };

function form(req: Request, c: PageChrome, p: { token: string; email: string; tenantName: string; minLength: number; maxLength: number; historyCount: number; errors?: FormErrors }) {
  const { t } = c;
  const e = p.errors ?? {};
  const hasErrors = Boolean(e.newPassword || e.confirmPassword);
  return html`<h1>${t('password.chooseTitle')}</h1>
<p>${t('reset.for', { email: p.email, tenant: p.tenantName })}</p>
${hasErrors ? notice('bad', t('error.notChanged'), 'form-error') : ''}
<form method="post" action="/auth/password-reset" novalidate>
  <input type="hidden" name="token" value="${p.token}">
  ${langField(req)}
  ${field({
    id: 'newPassword', label: t('field.newPassword'), type: 'password', autocomplete: 'new-password', error: e.newPassword,
    autofocus: !e.confirmPassword,
    hint: p.historyCount > 0 ? t('password.hintHistory', { min: p.minLength, history: p.historyCount }) : t('password.hint', { min: p.minLength }),
    extra: html` minlength="${p.minLength}" maxlength="${p.maxLength * 2}"`,
  })}
  ${field({ id: 'confirmPassword', label: t('field.confirmPassword'), type: 'password', autocomplete: 'new-password', error: e.confirmPassword, autofocus: Boolean(e.confirmPassword && !e.newPassword) })}
  <div class="actions"><button type="submit" class="btn primary">${t('reset.submit')}</button></div>
</form>`;
}

function refusal(res: Response, c: PageChrome, f: ServiceFailure): void {
  const r = pageRefusal(c.t, f, { token: 'link' });
  sendMessagePage(res, r.status, c, 'bad', r.title, r.text, r.next);
}

async function render(deps: HttpDeps, req: Request, res: Response, token: string, errors?: (c: PageChrome, policy: { minLength: number; maxLength: number; historyCount: number }) => FormErrors, status = 200): Promise<void> {
  const link = await inspectResetLink(deps, token);
  noStore(res);
  if (!link.ok) return refusal(res, pageChrome(req), link);
  const c = pageChrome(req, link.tenant, link.user.locale);
  const policy = link.tenant.settings.passwordPolicy;
  sendPage(res, status, page(c.t('password.chooseTitle'), form(req, c, {
    token, email: link.user.email, tenantName: link.tenant.name, minLength: policy.minLength, maxLength: policy.maxLength, historyCount: policy.historyCount,
    ...(errors ? { errors: errors(c, policy) } : {}),
  }), c), c);
}

export function resetPasswordPages(deps: HttpDeps): express.Router {
  const router = express.Router();
  router.get('/reset-password', async (req: Request, res: Response) => {
    await render(deps, req, res, typeof req.query['token'] === 'string' ? req.query['token'] : '');
  });
  // The form posts here; JSON clients reach the API route of the same path (src/api/routes/endUser.ts).
  router.post('/auth/password-reset', express.urlencoded({ extended: false, limit: '64kb', verify: utf8Only }), async (req: Request, res: Response, next) => {
    if (!req.is('application/x-www-form-urlencoded')) return next();
    noStore(res);
    // a form posted from another site (or an opaque origin) sets no password: login CSRF's mirror image
    if (!fromThisSite(deps, req)) {
      const c = pageChrome(req);
      sendMessagePage(res, 403, c, 'bad', c.t('page.refused.title'), `${c.t('page.refused.text')} ${c.t('problem.invalid_token.next')}`);
      return;
    }
    const parsed = formSchema.safeParse(req.body);
    if (!parsed.success) {
      const c = pageChrome(req);
      sendMessagePage(res, 400, c, 'bad', c.t('reset.invalidForm.title'), c.t('reset.invalidForm.text'));
      return;
    }
    const { token, newPassword, confirmPassword } = parsed.data;
    if (newPassword !== confirmPassword) return render(deps, req, res, token, (c) => ({ confirmPassword: c.t('error.passwordsDiffer') }), 422);
    // read before the attempt: once the link is spent, the page still speaks its user's language and wears the tenant's brand
    const before = await inspectResetLink(deps, token);
    const c = before.ok ? pageChrome(req, before.tenant, before.user.locale) : pageChrome(req);
    const result = await completeWithLink(deps, { ip: req.ip ?? 'unknown', token, newPassword });
    if (!result.ok) {
      if (result.code === 'password_policy') return render(deps, req, res, token, (pc, policy) => ({ newPassword: policyText(pc.t, result.violations, policy) }), 422);
      return refusal(res, c, result);
    }
    sendMessagePage(res, 200, c, 'ok', c.t('reset.done.title'), c.t('reset.done.text'));
  });
  return router;
}
