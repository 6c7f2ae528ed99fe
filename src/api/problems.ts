import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import type { ErrorCode } from '../contract/errorCodes';
import type { Logger } from '../log';
import { asDependencyUnavailable, type DependencyUnavailable, type FieldProblem, type ServiceFailure } from '../services/failures';

/** One field problem in `errors` (400 and 422). */
export type FieldError = FieldProblem;

/** An RFC 9457 problem document; `code` is the stable name clients switch on. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** members of the problem beyond RFC 9457's (approval_pending's `approvalId`, approval_decided's `state`) */
    readonly extensions?: Record<string, string>,
  ) {
    super(detail);
  }

  toJSON() {
    return {
      type: `urn:resetflow:problem:${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
});

export const problems = {
  invalidRequest: (detail: string, errors?: FieldError[]) => new Problem(400, 'invalid_request', 'Invalid request', detail, errors),
  unauthenticated: (detail = 'Send a valid key as "Authorization: Bearer <key>".') =>
    new Problem(401, 'unauthenticated', 'Authentication required', detail, undefined, { 'WWW-Authenticate': 'Bearer' }),
  forbidden: () => new Problem(403, 'forbidden', 'Forbidden', 'Only the platform admin key may do this.'),
  webhookUnauthenticated: () =>
    new Problem(401, 'unauthenticated', 'Authentication required', 'Send the webhook credentials (POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD) with HTTP Basic authentication.',
      undefined, { 'WWW-Authenticate': 'Basic realm="mail-webhooks", charset="UTF-8"' }),
  notFound: (what: string) => new Problem(404, 'not_found', 'Not found', `${what} does not exist.`),
  unsupportedMediaType: () =>
    new Problem(415, 'unsupported_media_type', 'Unsupported media type', 'Send the request body as JSON (Content-Type: application/json; charset=utf-8).'),
  unavailable: (detail: string) =>
    new Problem(503, 'temporarily_unavailable', 'Temporarily unavailable', detail, undefined, { 'Retry-After': '5' }),
};

/** What each refusal says, once for every route and page. */
const REFUSALS: Record<Exclude<ServiceFailure['code'], 'not_found' | 'rate_limited' | 'invalid_request' | 'password_policy' | 'template_invalid' | 'approval_pending' | 'approval_decided' | 'webhook_url_forbidden'>, [number, string, string]> = {
  unsupported_media_type: [415, 'Unsupported media type', 'Send the request body as JSON (Content-Type: application/json; charset=utf-8).'],
  idempotency_key_reused: [422, 'Idempotency-Key reused', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.'],
  idempotency_key_in_use: [409, 'Request in progress', 'A request with this Idempotency-Key is still being processed. Retry in a moment to get its outcome.'],
  secret_not_replayed: [409, 'Answer not kept', 'This request was done, but its answer held a secret shown only once, and secrets are never kept to be replayed. Find the resource by the id given here; if its secret was lost, replace it.'],
  unauthenticated: [401, 'Authentication required', 'Send a valid key as "Authorization: Bearer <key>".'],
  forbidden: [403, 'Forbidden', 'Only the platform admin key may do this.'],
  email_taken: [409, 'Conflict', 'Another user of this tenant has this email address.'],
  identity_taken: [409, 'Conflict', 'Another user of this tenant has this federated identity.'],
  tenant_exists: [409, 'Conflict', 'A tenant with this id already exists.'],
  no_password_identity: [409, 'No password to reset',
    'This user signs in through a federated identity provider and has no password. To force them to sign in again, revoke their sessions instead.'],
  invalid_credentials: [401, 'Sign-in failed', 'The email address or password is not correct.'],
  temporary_password_expired: [401, 'Temporary password expired',
    'This temporary password has lapsed. Ask your administrator for a new one, or reset your password by email.'],
  invalid_token: [400, 'Invalid token', 'This link or change is not valid. Check that you copied the whole link, or sign in again.'],
  link_expired: [410, 'Link expired', 'This reset link has expired. Ask for a new one.'],
  link_used: [410, 'Link no longer valid', 'This reset link has already been used or was replaced by a newer one. Ask for a new one if you still need it.'],
  token_used: [410, 'Already changed', 'This password change was already made, or the password was changed since. Sign in with your current password.'],
  token_expired: [410, 'Too late', 'This password change took too long. Sign in again to start over.'],
  temporarily_unavailable: [503, 'Temporarily unavailable', 'The service is not answering right now. Try again in a moment.'],
  approver_is_requester: [403, 'Approver is the requester', 'A reset held for approval must be decided by another admin than the one who asked for it (four eyes).'],
  webhook_delivery_not_failed: [409, 'Delivery not failed', 'Only a failed delivery can be retried; this one is pending or succeeded.'],
};

/** Refusals whose wording depends on what was refused (a reset link, or a change token from sign-in). */
const CONTEXT_DETAIL: Partial<Record<ErrorCode, Partial<Record<string, [string, string]>>>> = {
  invalid_token: {
    link: ['Invalid link', 'This reset link is not valid. Check that you copied the whole link, or ask for a new one.'],
    changeToken: ['Invalid change token', 'This password change is not valid any more. Sign in again.'],
    report: ['Invalid link', 'This report link is not valid. Check that you copied the whole link from the email.'],
  },
  link_expired: {
    report: ['Link expired', 'This report link is older than 7 days. If your password was changed without you, contact your administrator.'],
  },
  link_used: {
    report: ['Link no longer valid', 'This report link was already used, or the password it reports was changed since. If you still think someone else has your password, contact your administrator.'],
  },
};

export interface ProblemContext {
  /** the request field a password policy failure is about (`password`, `newPassword`) */
  policyField?: string;
  /** what an `invalid_token` refers to */
  token?: 'link' | 'changeToken' | 'report';
}

/** The one mapping from a service's failure to the problem document the client gets. */
export function problemFor(f: ServiceFailure, ctx: ProblemContext = {}): Problem {
  switch (f.code) {
    case 'not_found':
      return problems.notFound(f.what);
    case 'rate_limited':
      return new Problem(429, 'rate_limited', 'Too many attempts', `Too many attempts. Try again in ${f.retryAfterSeconds} seconds.`,
        undefined, { 'Retry-After': String(f.retryAfterSeconds) });
    case 'invalid_request':
      return problems.invalidRequest(f.detail, f.errors);
    case 'password_policy': {
      const field = ctx.policyField ?? 'password';
      return new Problem(422, 'password_policy', 'Password does not meet the policy',
        f.violations.map((v) => v.message).join(' '), f.violations.map((v) => ({ field, code: v.rule, message: v.message })));
    }
    case 'approval_pending':
      return new Problem(409, 'approval_pending', 'Approval pending',
        `This reset already waits for a second admin's approval (approval ${f.approvalId}). Decide that one first.`, undefined, undefined, { approvalId: f.approvalId });
    case 'approval_decided':
      return new Problem(409, 'approval_decided', 'Approval already decided', `This approval is ${f.state}; a decision is final.`, undefined, undefined, { state: f.state });
    case 'template_invalid':
      return new Problem(422, 'template_invalid', 'Template not valid',
        `The template cannot be used: ${f.errors.map((e) => `${e.field}: ${e.message}`).join(' ')}`, f.errors);
    case 'webhook_url_forbidden':
      return new Problem(422, 'webhook_url_forbidden', 'Webhook URL not allowed',
        `Webhooks go to https:// URLs on public addresses only (${f.reason}).`, [{ field: 'url', code: 'webhook_url_forbidden', message: f.reason }]);
    default: {
      const [status, title, detail] = REFUSALS[f.code];
      const specific = ctx.token ? CONTEXT_DETAIL[f.code]?.[ctx.token] : undefined;
      return new Problem(status, f.code, specific?.[0] ?? title, specific?.[1] ?? detail,
        undefined, f.code === 'unauthenticated' ? { 'WWW-Authenticate': 'Bearer' } : undefined);
    }
  }
}

/** A service's success, or its failure thrown as the matching problem. */
export function unwrap<T extends { ok: true }>(r: T | ServiceFailure, ctx?: ProblemContext): T {
  if (!r.ok) throw problemFor(r, ctx);
  return r;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: i.path.join('.') || '(body)',
    code: i.code,
    message: i.message,
  }));
}

export function sendProblem(res: Response, p: Problem): void {
  if (p.headers) res.set(p.headers);
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p.toJSON()));
}

/** A dependency that is down, as the 503 the client gets: which one, and whether the change may still land. */
export function unavailableProblem(err: DependencyUnavailable): Problem {
  const what = { temporal: 'The reset service (Temporal)', postgres: 'The database', mail_sink: 'The local mail sink (started by `npm start`)' }[err.dependency];
  return problems.unavailable(
    err.mayStillApply
      ? `${what} did not answer in time. The action may still be applied: retry with the same Idempotency-Key to get its outcome without doing it twice.`
      : `${what} is not answering right now, so the action was not applied. Try again in a moment.`,
  );
}

/** The last middleware: every error becomes a problem document; only a bug is a 500, and its detail stays in the log. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof Problem) return sendProblem(res, err);
    const down = asDependencyUnavailable(err);
    if (down) {
      log.warn('dependency unavailable', { method: req.method, route: req.route?.path, dependency: down.dependency });
      return sendProblem(res, unavailableProblem(down));
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      return sendProblem(res, new Problem(413, 'invalid_request', 'Request body too large', 'The request body is over 64 KiB.'));
    }
    if (e.type === 'entity.parse.failed') return sendProblem(res, problems.invalidRequest('The request body is not valid JSON.'));
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return sendProblem(res, problems.unsupportedMediaType());
    if (e.type === 'encoding.invalid') return sendProblem(res, problems.invalidRequest('The request body is not valid UTF-8.'));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendProblem(res, problems.invalidRequest('The request could not be read.'));
    }
    const cause = (err as { cause?: unknown })?.cause;
    log.error('unhandled error', { method: req.method, route: req.route?.path, error: String(err), ...(cause ? { cause: String(cause) } : {}), stack: (err as Error)?.stack });
    sendProblem(res, new Problem(500, 'internal_error', 'Internal error', 'Something went wrong on our side. It has been logged.'));
  };
}
