/**
 * What a service answers when it does not do what was asked: a typed value, never
 * an HTTP problem (src/api/problems.ts maps each to one, in one place). A
 * dependency that is down is thrown instead, as `DependencyUnavailable`.
 */
import type { ErrorCode } from '../contract/errorCodes';
import { isDatabaseUnavailable } from '../db/errors';
import type { PolicyFailure } from '../contract/vocabulary';

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export type NotFound = { ok: false; code: 'not_found'; what: string };
export type RateLimited = { ok: false; code: 'rate_limited'; retryAfterSeconds: number };
export type Invalid = { ok: false; code: 'invalid_request'; detail: string; errors: FieldProblem[] };
/** An email template that cannot be saved or previewed: what is wrong, part by part. */
export type TemplateInvalid = { ok: false; code: 'template_invalid'; errors: FieldProblem[] };
/** Any other refusal: its code says it all. */
export type Refused<C extends PlainCode = PlainCode> = { ok: false; code: C };
type PlainCode = Exclude<ErrorCode, 'not_found' | 'rate_limited' | 'invalid_request' | 'password_policy' | 'template_invalid' | 'internal_error' | 'approval_pending' | 'approval_decided' | 'webhook_url_forbidden'>;

/** A reset already held for this user and action (its approval's id), or an approval already decided (its state). */
export type ApprovalPending = { ok: false; code: 'approval_pending'; approvalId: string };
export type ApprovalDecided = { ok: false; code: 'approval_decided'; state: 'approved' | 'rejected' | 'expired' };
/** A webhook URL that is not https, or whose host resolves to an address webhooks may not reach: why. */
export type WebhookUrlForbidden = { ok: false; code: 'webhook_url_forbidden'; reason: string };

export type ServiceFailure = NotFound | RateLimited | Invalid | PolicyFailure | TemplateInvalid | Refused | ApprovalPending | ApprovalDecided | WebhookUrlForbidden;

export const notFound = (what: string): NotFound => ({ ok: false, code: 'not_found', what });
export const refused = <C extends PlainCode>(code: C): Refused<C> => ({ ok: false, code });
export const invalid = (detail: string, errors: FieldProblem[]): Invalid => ({ ok: false, code: 'invalid_request', detail, errors });

/** PostgreSQL, Temporal (or, in development, the local mail sink) did not answer in time. `mayStillApply`: a write was handed over and may yet land. */
export class DependencyUnavailable extends Error {
  override name = 'DependencyUnavailable';
  constructor(
    readonly dependency: 'postgres' | 'temporal' | 'mail_sink',
    readonly mayStillApply: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable`, options);
  }
}

/** A schema's complaints, one per field (`settings.passwordPolicy.minLength`). */
export function fieldProblems(error: { issues: readonly { path: readonly PropertyKey[]; code: string; message: string }[] }, prefix?: string): FieldProblem[] {
  return error.issues.map((i) => ({
    field: [...(prefix ? [prefix] : []), ...i.path.map(String)].join('.') || '(body)',
    code: i.code,
    message: i.message,
  }));
}

/**
 * A thrown error as the dependency failure it stands for, if it is one: the HTTP edge
 * answers those 503 (PostgreSQL unreachable anywhere in a request, Temporal already
 * classified by temporalCalls.ts).
 */
export function asDependencyUnavailable(err: unknown): DependencyUnavailable | undefined {
  if (err instanceof DependencyUnavailable) return err;
  if (isDatabaseUnavailable(err)) return new DependencyUnavailable('postgres', false, { cause: err });
  return undefined;
}
