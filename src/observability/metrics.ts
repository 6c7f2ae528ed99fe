import type { Actor, FinalResetState, ResetPath } from '../contract/vocabulary';

/**
 * resetflow's own metrics: every name, help text and label, once. The API
 * process exports them with prom-client (promMetrics.ts, `GET /metrics`), the
 * worker through the Temporal SDK's Prometheus exporter (temporalMetrics.ts,
 * WORKER_METRICS_ADDRESS). Labels carry vocabulary only: never an email, a
 * token, a password, a hash, a user id or a concrete URL.
 */

export const SIGN_IN_OUTCOMES = ['signed_in', 'password_change_required', 'invalid_credentials', 'rate_limited', 'error'] as const;
export type SignInOutcome = (typeof SIGN_IN_OUTCOMES)[number];

/** ip: attempts per address; account_ip: failed sign-ins per account and address; account: the per-account ceiling of failed sign-ins; credential: submissions per link or change token; reset_request: self-service requests per account */
export const LIMITERS = ['ip', 'account_ip', 'account', 'credential', 'reset_request'] as const;
export type LimiterName = (typeof LIMITERS)[number];

export const EMAIL_TEMPLATES = ['reset_link', 'temporary_password'] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];
/** sent: the provider took it; rejected: refused for good (no retry); failed: a transient error, retried */
export const EMAIL_OUTCOMES = ['sent', 'rejected', 'failed'] as const;
export type EmailOutcome = (typeof EMAIL_OUTCOMES)[number];

export type HashOperation = 'hash' | 'verify';

/** Seconds: argon2id takes tens of milliseconds here (README, Performance); a request up to the 15 s Temporal wait. */
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
  emails: { name: 'resetflow_emails_total', help: 'Emails handed to the mail provider, by template and outcome (sent, rejected, failed and retried)', labels: ['template', 'outcome'] },
} as const;

/** Times argon2id (src/security/passwordHashing.ts takes it as its observer). */
export interface HashTimings {
  observeHash(operation: HashOperation, seconds: number): void;
}

/** What the application layer (src/services) records. */
export interface ServiceMetrics extends HashTimings {
  signIn(outcome: SignInOutcome): void;
  resetStarted(path: ResetPath, initiator: Actor['type']): void;
  rateLimited(limiter: LimiterName): void;
}

/** What the HTTP edge records, besides what the services do. */
export interface HttpMetrics {
  httpRequest(route: string, method: string, status: number, seconds: number): void;
}

/** What the activities record (exactly once per outcome: after the write that decides it commits). */
export interface ActivityMetrics extends HashTimings {
  resetEnded(path: ResetPath, outcome: FinalResetState, count?: number): void;
  email(template: EmailTemplate, outcome: EmailOutcome): void;
  /** a link expired while its email was still unsent (every attempt failed until the TTL) */
  linkExpiredUnsent(): void;
}

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
