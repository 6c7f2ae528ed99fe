import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { html } from '../../html';
import type { ApiDeps } from '../deps';
import { completeWithLink, inspectResetLink } from '../passwordResetLink';
import { Problem } from '../problems';
import { page } from './layout';

/**
 * GET /reset-password?token=… shows where the link stands and, while it works,
 * a form that posts (no script needed) to /auth/password-reset. Opening the
 * page never consumes the link: mail scanners open links too.
 */
const formSchema = z.strictObject({
  token: z.string().max(512),
  newPassword: z.string().max(4096),
  confirmPassword: z.string().max(4096),
});

function noStore(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
}

function form(p: { token: string; email: string; tenantName: string; minLength: number; maxLength: number; error?: { message: string; items?: string[] } }) {
  return html`<h1>Choose a new password</h1>
<p>For <strong>${p.email}</strong> at ${p.tenantName}.</p>
${p.error ? html`<div class="notice bad" role="alert" id="form-error"><p>${p.error.message}</p>${p.error.items ? html`<ul>${p.error.items.map((i) => html`<li>${i}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/auth/password-reset" novalidate>
  <input type="hidden" name="token" value="${p.token}">
  <label for="newPassword">New password</label>
  <input type="password" id="newPassword" name="newPassword" autocomplete="new-password" required
    minlength="${p.minLength}" maxlength="${p.maxLength * 2}" aria-describedby="password-hint${p.error ? ' form-error' : ''}"${p.error ? html` aria-invalid="true" autofocus` : html` autofocus`}>
  <p class="hint" id="password-hint">At least ${p.minLength} characters. A few unrelated words make a strong password that is easy to remember.</p>
  <label for="confirmPassword">Type it again</label>
  <input type="password" id="confirmPassword" name="confirmPassword" autocomplete="new-password" required>
  <button type="submit">Set new password</button>
</form>`;
}

function message(kind: 'ok' | 'bad', title: string, text: string) {
  return html`<h1>${title}</h1><p class="notice ${kind}" role="status">${text}</p>`;
}

async function render(deps: ApiDeps, res: Response, token: string, error?: { message: string; items?: string[] }, status = 200): Promise<void> {
  const link = await inspectResetLink(deps, token);
  noStore(res);
  if ('problem' in link) {
    res.status(link.problem.status).type('html').send(page(link.problem.title, message('bad', link.problem.title, link.problem.detail)));
    return;
  }
  const policy = link.tenant.settings.passwordPolicy;
  res.status(status).type('html').send(page('Choose a new password', form({
    token, email: link.user.email, tenantName: link.tenant.name, minLength: policy.minLength, maxLength: policy.maxLength,
    ...(error ? { error } : {}),
  })));
}

export function resetPasswordPages(deps: ApiDeps): express.Router {
  const router = express.Router();
  router.get('/reset-password', async (req: Request, res: Response) => {
    await render(deps, res, typeof req.query['token'] === 'string' ? req.query['token'] : '');
  });
  // The form posts here; JSON clients reach the API route of the same path (src/api/routes/endUser.ts).
  router.post('/auth/password-reset', express.urlencoded({ extended: false, limit: '64kb' }), async (req: Request, res: Response, next) => {
    if (!req.is('application/x-www-form-urlencoded')) return next();
    const parsed = formSchema.safeParse(req.body);
    noStore(res);
    if (!parsed.success) {
      res.status(400).type('html').send(page('Invalid form', message('bad', 'Something went wrong', 'The form was not complete. Open the link from your email again.')));
      return;
    }
    const { token, newPassword, confirmPassword } = parsed.data;
    if (newPassword !== confirmPassword) return render(deps, res, token, { message: 'The two passwords are not the same.' }, 422);
    try {
      await completeWithLink(deps, req.ip ?? 'unknown', token, newPassword);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      if (err.code === 'password_policy') {
        return render(deps, res, token, { message: 'Please choose another password:', items: err.errors?.map((e) => e.message) ?? [] }, 422);
      }
      res.status(err.status).type('html').send(page(err.title, message('bad', err.title, err.detail)));
      return;
    }
    res.status(200).type('html').send(page('Password changed', message('ok', 'Password changed', 'Your new password is set. Sign in with it from now on; devices where you are signed in stay signed in.')));
  });
  return router;
}
