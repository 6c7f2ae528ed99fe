import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { html } from '../../html';
import { completeWithLink, inspectResetLink } from '../../services/resetLinks';
import type { HttpDeps } from '../deps';
import { formText, utf8Only } from '../inputHygiene';
import { problemFor } from '../problems';
import { field, notice, page } from './layout';

/**
 * GET /reset-password?token=… shows where the link stands and, while it works,
 * a form that posts (no script needed) to /auth/password-reset. Opening the
 * page never consumes the link: mail scanners open links too.
 */
const formSchema = z.strictObject({
  token: formText(512),
  newPassword: formText(4096),
  confirmPassword: formText(4096),
});

function noStore(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
}

type FormErrors = { newPassword?: string; confirmPassword?: string };

function form(p: { token: string; email: string; tenantName: string; minLength: number; maxLength: number; errors?: FormErrors }) {
  const e = p.errors ?? {};
  const hasErrors = Boolean(e.newPassword || e.confirmPassword);
  return html`<h1>Choose a new password</h1>
<p>For <strong>${p.email}</strong> at ${p.tenantName}.</p>
${hasErrors ? notice('bad', 'The password was not changed. Correct the field marked below.', 'form-error') : ''}
<form method="post" action="/auth/password-reset" novalidate>
  <input type="hidden" name="token" value="${p.token}">
  ${field({
    id: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', error: e.newPassword,
    autofocus: !e.confirmPassword,
    hint: `At least ${p.minLength} characters. A few unrelated words make a strong password that is easy to remember.`,
    extra: html` minlength="${p.minLength}" maxlength="${p.maxLength * 2}"`,
  })}
  ${field({ id: 'confirmPassword', label: 'Confirm new password', type: 'password', autocomplete: 'new-password', error: e.confirmPassword, autofocus: Boolean(e.confirmPassword && !e.newPassword) })}
  <div class="actions"><button type="submit" class="btn primary">Set new password</button></div>
</form>`;
}

function message(kind: 'ok' | 'bad', title: string, text: string, next?: string) {
  return html`<h1>${title}</h1>${notice(kind, text)}${next ? html`<p>${next}</p>` : ''}`;
}

/** What the person can do next, for each way a link stops working. */
const NEXT_STEP: Record<string, string> = {
  link_expired: 'Reset links work for a limited time, and nothing was changed. Ask your administrator for a new link.',
  link_used: 'Each link works once, and only the newest link sent to you works. If you already chose a new password, sign in with it.',
  invalid_token: 'Open the link from the email again, or copy the whole link into the address bar.',
};

async function render(deps: HttpDeps, res: Response, token: string, errors?: FormErrors, status = 200): Promise<void> {
  const link = await inspectResetLink(deps, token);
  noStore(res);
  if (!link.ok) {
    const problem = problemFor(link, { token: 'link' });
    res.status(problem.status).type('html').send(page(problem.title, message('bad', problem.title, problem.detail, NEXT_STEP[problem.code])));
    return;
  }
  const policy = link.tenant.settings.passwordPolicy;
  res.status(status).type('html').send(page('Choose a new password', form({
    token, email: link.user.email, tenantName: link.tenant.name, minLength: policy.minLength, maxLength: policy.maxLength,
    ...(errors ? { errors } : {}),
  }), { org: link.tenant.name }));
}

export function resetPasswordPages(deps: HttpDeps): express.Router {
  const router = express.Router();
  router.get('/reset-password', async (req: Request, res: Response) => {
    await render(deps, res, typeof req.query['token'] === 'string' ? req.query['token'] : '');
  });
  // The form posts here; JSON clients reach the API route of the same path (src/api/routes/endUser.ts).
  router.post('/auth/password-reset', express.urlencoded({ extended: false, limit: '64kb', verify: utf8Only }), async (req: Request, res: Response, next) => {
    if (!req.is('application/x-www-form-urlencoded')) return next();
    const parsed = formSchema.safeParse(req.body);
    noStore(res);
    if (!parsed.success) {
      res.status(400).type('html').send(page('Invalid form', message('bad', 'Something went wrong', 'The form was not complete. Open the link from your email again.')));
      return;
    }
    const { token, newPassword, confirmPassword } = parsed.data;
    if (newPassword !== confirmPassword) return render(deps, res, token, { confirmPassword: 'The two passwords are not the same. Type the new password again.' }, 422);
    const result = await completeWithLink(deps, { ip: req.ip ?? 'unknown', token, newPassword });
    if (!result.ok) {
      if (result.code === 'password_policy') return render(deps, res, token, { newPassword: result.violations.map((v) => v.message).join(' ') }, 422);
      const problem = problemFor(result, { token: 'link' });
      res.status(problem.status).type('html').send(page(problem.title, message('bad', problem.title, problem.detail, NEXT_STEP[problem.code])));
      return;
    }
    res.status(200).type('html').send(page('Password changed', message('ok', 'Password changed', 'Your new password is set. Sign in with it from now on; devices where you are signed in stay signed in.')));
  });
  return router;
}
