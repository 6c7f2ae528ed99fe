import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../log';

/** One field problem in `errors` (400 and 422). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem document; `code` is the stable name clients switch on. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
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
  notFound: (what: string) => new Problem(404, 'not_found', 'Not found', `${what} does not exist.`),
  conflict: (code: string, detail: string) => new Problem(409, code, 'Conflict', detail),
  noPasswordIdentity: () =>
    new Problem(409, 'no_password_identity', 'No password to reset',
      'This user signs in through a federated identity provider and has no password. To force them to sign in again, revoke their sessions instead.'),
  passwordPolicy: (field: string, violations: { rule: string; message: string }[]) =>
    new Problem(422, 'password_policy', 'Password does not meet the policy',
      violations.map((v) => v.message).join(' '), violations.map((v) => ({ field, code: v.rule, message: v.message }))),
  rateLimited: (retryAfterSeconds: number) =>
    new Problem(429, 'rate_limited', 'Too many attempts', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      undefined, { 'Retry-After': String(retryAfterSeconds) }),
  unavailable: (detail: string) =>
    new Problem(503, 'temporarily_unavailable', 'Temporarily unavailable', detail, undefined, { 'Retry-After': '5' }),
};

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    field: i.path.join('.') || '(body)',
    code: i.code,
    message: i.message,
  }));
}

export function sendProblem(res: Parameters<ErrorRequestHandler>[2], p: Problem): void {
  if (p.headers) res.set(p.headers);
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p.toJSON()));
}

/** The last middleware: every error becomes a problem document; only a bug is a 500, and its detail stays in the log. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof Problem) return sendProblem(res, err);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      return sendProblem(res, new Problem(413, 'invalid_request', 'Request body too large', 'The request body is over 64 KiB.'));
    }
    if (e.type === 'entity.parse.failed') return sendProblem(res, problems.invalidRequest('The request body is not valid JSON.'));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendProblem(res, problems.invalidRequest('The request could not be read.'));
    }
    const cause = (err as { cause?: unknown })?.cause;
    log.error('unhandled error', { method: req.method, route: req.route?.path, error: String(err), ...(cause ? { cause: String(cause) } : {}), stack: (err as Error)?.stack });
    sendProblem(res, new Problem(500, 'internal_error', 'Internal error', 'Something went wrong on our side. It has been logged.'));
  };
}
