import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { html } from '../../html';
import { formatDateTime } from '../../i18n';
import { inspectReportLink, reportPasswordChange } from '../../services/passwordChangeReports';
import type { ServiceFailure } from '../../services/failures';
import type { HttpDeps } from '../deps';
import { formText, utf8Only } from '../inputHygiene';
import { page, sendMessagePage, sendPage, type PageChrome } from './layout';
import { fromThisSite, noStore } from './formOrigin';
import { langField, pageChrome, pageRefusal } from './pageLanguage';

/**
 * GET /report-password-change?token=… ("this wasn't me", from a password-change notice) asks
 * whether the change was the user's and, while the link works, offers one button that posts
 * (no script needed) to /auth/password-change-report. Opening the page consumes nothing: mail
 * scanners open links too. Same language, brand, CSP and origin checks as the reset page.
 */
const formSchema = z.strictObject({ token: formText(512), lang: formText(16).optional() });

function refusal(res: Response, c: PageChrome, f: ServiceFailure): void {
  const r = pageRefusal(c.t, f, { token: 'report' });
  const next = f.code === 'rate_limited' ? undefined : c.t('report.refused.next');
  sendMessagePage(res, r.status, c, 'bad', r.title, r.text, next);
}

export function reportPasswordChangePages(deps: HttpDeps): express.Router {
  const router = express.Router();
  router.get('/report-password-change', async (req: Request, res: Response) => {
    const token = typeof req.query['token'] === 'string' ? req.query['token'] : '';
    const link = await inspectReportLink(deps, token);
    noStore(res);
    if (!link.ok) return refusal(res, pageChrome(req), link);
    const c = pageChrome(req, link.tenant, link.user.locale);
    const { t } = c;
    const body = html`<h1>${t('report.title')}</h1>
<p>${t('report.text', { email: link.user.email, tenant: link.tenant.settings.branding.productName ?? link.tenant.name, changedAt: formatDateTime(c.locale, link.report.passwordSetAt) })}</p>
<p>${t('report.effect')}</p>
<form method="post" action="/auth/password-change-report">
  <input type="hidden" name="token" value="${token}">
  ${langField(req)}
  <div class="actions"><button type="submit" class="btn danger">${t('report.submit')}</button></div>
</form>
<p class="hint">${t('report.ifYou')}</p>`;
    sendPage(res, 200, page(t('report.title'), body, c), c);
  });
  // The form posts here; JSON clients reach the API route of the same path (src/api/routes/endUser.ts).
  router.post('/auth/password-change-report', express.urlencoded({ extended: false, limit: '64kb', verify: utf8Only }), async (req: Request, res: Response, next) => {
    if (!req.is('application/x-www-form-urlencoded')) return next();
    noStore(res);
    // a form posted from another site (or an opaque origin) locks nothing: a forged post would lock the user out
    if (!fromThisSite(deps, req)) {
      const c = pageChrome(req);
      sendMessagePage(res, 403, c, 'bad', c.t('page.refused.title'), c.t('page.refused.text'));
      return;
    }
    const parsed = formSchema.safeParse(req.body);
    if (!parsed.success) {
      const c = pageChrome(req);
      sendMessagePage(res, 400, c, 'bad', c.t('reset.invalidForm.title'), c.t('reset.invalidForm.text'));
      return;
    }
    // read before the report: once the link is spent, the page still speaks its user's language and wears the tenant's brand
    const before = await inspectReportLink(deps, parsed.data.token);
    const c = before.ok ? pageChrome(req, before.tenant, before.user.locale) : pageChrome(req);
    const result = await reportPasswordChange(deps, { token: parsed.data.token, ip: req.ip ?? 'unknown' });
    if (!result.ok) return refusal(res, c, result);
    sendMessagePage(res, 200, c, 'ok', c.t('report.done.title'), c.t('report.done.text'));
  });
  return router;
}
