import type { Actor, FinalResetState, ResetPath } from '../contract/vocabulary';

/**
 * resetflow's own metrics: every name, help text and label, once. The API
 * process exports them with prom-client (promMetrics.ts, `GET /metrics`), the
 * worker through the Temporal SDK's Prometheus exporter (temporalMetrics.ts,
 * WORKER_METRICS_ADDRESS). Labels carry vocabulary only: never an email, a
 * token, a password, a hash, a user id or a concrete URL.
 */

export const SIGN_IN_OUTCOMES = ['signed_in', 'password_change_required', 'invalid_credentials', 'temporary_password_expired', 'rate_limited', 'error'] as const;
export type SignInOutcome = (typeof SIGN_IN_OUTCOMES)[number];

/** ip: attempts per address; account_ip: failed sign-ins per account and address; account: the per-account ceiling of failed sign-ins; credential: submissions per link or change token; reset_request: self-service requests per account */
export const LIMITERS = ['ip', 'account_ip', 'account', 'credential', 'reset_request'] as const;
export type LimiterName = (typeof LIMITERS)[number];

export const EMAIL_TEMPLATES = ['reset_link', 'temporary_password', 'password_changed'] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];
/** sent: the provider took it; rejected: refused for good (no retry); failed: a transient error, retried */
export const EMAIL_OUTCOMES = ['sent', 'rejected', 'failed'] as const;
export type EmailOutcome = (typeof EMAIL_OUTCOMES)[number];

export type HashOperation = 'hash' | 'verify';

/** Seconds: argon2id takes tens of milliseconds here (docs/performance.md); a request up to the 15 s Temporal wait. */
export const ARGON2_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5];
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export const METRIC = {
  httpRequests: { name: 'resetflow_http_requests_total', help: 'HTTP requests answered, by route template, method and status', labels: ['route', 'method', 'status'] },
  httpDuration: { name: 'resetflow_http_request_duration_seconds', help: 'HTTP request latency, by route template, method and status', labels: ['route', 'method', 'status'] },
  signIns: { name: 'resetflow_sign_ins_total', help: 'Sign-in attempts, by outcome', labels: ['outcome'] },
  resetsStarted: { name: 'resetflow_resets_started_total', help: 'Password resets started through the API, by path and who asked (admin or user)', labels: ['path', 'initiator'] },
  rateLimited: { name: 'resetflow_rate_limited_total', help: 'Requests refused by a rate limiter, by limiter', labels: ['limiter'] },
  argon2: { name: 'resetflow_argon2_duration_seconds', help: 'argon2id hash and verify durations', labels: ['operation'] },
  resetsEnded: { name: 'resetflow_resets_ended_total', help: 'Password resets ended, by path and outcome (completed, expired, superseded, cancelled)', labels: ['path', 'outcome'] },
  linksExpiredUnsent: { name: 'resetflow_reset_links_expired_unsent_total', help: 'Reset links that reached their TTL without their email being handed to the mail provider', labels: [] },
  breachLookups: { name: 'resetflow_breach_lookups_total', help: 'Pwned Passwords range lookups, by outcome (breached, clean, cached_*, and the misses that let a password through: timeout, unreachable, malformed, and circuit_open while a failing range API is left alone)', labels: ['outcome'] },
  passwordRehashes: { name: 'resetflow_password_rehashes_total', help: 'Imported password hashes replaced by argon2id at sign-in, by the imported algorithm', labels: ['from'] },
  userImportLines: { name: 'resetflow_user_import_lines_total', help: 'Lines of user imports processed, by outcome (created, skipped, failed)', labels: ['outcome'] },
  emails: { name: 'resetflow_emails_total', help: 'Emails handed to the mail provider, by template and outcome (sent, rejected, failed and retried)', labels: ['template', 'outcome'] },
  emailsRendered: {
    name: 'resetflow_emails_rendered_total', help: "Emails rendered for sending, by template name, language and source (the tenant's own template or the built-in one)",
    labels: ['template', 'locale', 'source'],
  },
  approvals: {
    name: 'resetflow_approvals_total',
    help: 'Resets held for a second admin, by outcome: requested, approved, rejected (counted by the API) and expired (counted by the worker)',
    labels: ['outcome'],
  },
  passwordChangeReports: {
    name: 'resetflow_password_change_reports_total',
    help: '"This wasn\'t me" reports of a password change, by outcome (password_locked, link_used, link_expired, invalid_token, rate_limited)',
    labels: ['outcome'],
  },
  webhookAttempts: {
    name: 'resetflow_webhook_attempts_total',
    help: 'Outbound webhook delivery attempts, by outcome (succeeded, http_error, gone, timeout, network_error, forbidden_address, redirect)',
    labels: ['outcome'],
  },
  webhookOldestPending: {
    name: 'resetflow_webhook_oldest_pending_delivery_age_seconds', help: 'Age of the oldest outbound webhook delivery still pending (0: none)', labels: [],
  },
} as const;

/** What becomes of a held reset (api.md, Approvals). */
export const APPROVAL_OUTCOMES = ['requested', 'approved', 'rejected', 'expired'] as const;
export type ApprovalOutcome = (typeof APPROVAL_OUTCOMES)[number];

/** Where a rendered email's template came from. */
export type TemplateSource = 'builtin' | 'custom';

/** Times argon2id (src/security/passwordHashing.ts takes it as its observer). */
export interface HashTimings {
  observeHash(operation: HashOperation, seconds: number): void;
}

/** What the application layer (src/services) records. */
/** Counts breached-password lookups (src/security/breachedPasswords.ts takes it as its observer). */
export interface BreachLookupCounter {
  breachLookup(outcome: string): void;
}

export interface ServiceMetrics extends HashTimings, BreachLookupCounter {
  signIn(outcome: SignInOutcome): void;
  resetStarted(path: ResetPath, initiator: Actor['type']): void;
  rateLimited(limiter: LimiterName): void;
  /** an imported hash was replaced by argon2id at sign-in (`from`: the imported algorithm, a fixed vocabulary) */
  passwordRehashed(from: string): void;
  /** a reset held for a second admin, approved or rejected */
  approval(outcome: Exclude<ApprovalOutcome, 'expired'>): void;
  /** a "this wasn't me" report, by outcome (password_locked or the refusal's code) */
  passwordChangeReport(outcome: string): void;
  /** the age of the oldest pending webhook delivery, read from PostgreSQL when /metrics is scraped */
  webhookOldestPendingAge(seconds: number): void;
}

/** What the HTTP edge records, besides what the services do. */
export interface HttpMetrics {
  httpRequest(route: string, method: string, status: number, seconds: number): void;
}

/** What the activities record (exactly once per outcome: after the write that decides it commits). */
export interface ActivityMetrics extends HashTimings, BreachLookupCounter {
  resetEnded(path: ResetPath, outcome: FinalResetState, count?: number): void;
  email(template: EmailTemplate, outcome: EmailOutcome): void;
  /** an email rendered (template name and language are vocabulary: EMAIL_TEMPLATE_NAMES, LOCALES) */
  emailRendered(template: string, locale: string, source: TemplateSource): void;
  /** a link expired while its email was still unsent (every attempt failed until the TTL) */
  linkExpiredUnsent(): void;
  /** lines of a user import, counted once when their batch commits */
  userImportLines(outcome: 'created' | 'skipped' | 'failed', count: number): void;
  /** a held reset reached its approval TTL undecided */
  approvalExpired(): void;
  /** one outbound webhook attempt, counted once its outcome is recorded (outcome: WEBHOOK_ATTEMPT_OUTCOMES) */
  webhookAttempt(outcome: string): void;
}

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
