import type { Client } from '@temporalio/client';
import type { BulkTuning } from '../contract/bulkReset';
import type { UserImportTuning } from '../contract/userImport';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../log';
import { createApiMetrics, type ApiMetrics } from '../observability/promMetrics';
import { ARGON2_PARAMS, PasswordHasher } from '../security/passwordHashing';
import { Sealer } from '../security/sealing';
import { createBreachChecker, type BreachedPasswordChecker } from '../security/breachedPasswords';
import { fingerprintKey } from './idempotency';
import { hashToken } from '../security/tokens';
import { createRateLimits, type RateLimits } from './rateLimits';
import type { WebhookServiceConfig } from './webhooks';

/**
 * Everything the application layer may use, built once by the API process (or a
 * test). Each service takes only the part it needs (`Pick<ServiceDeps, …>`).
 */
export interface ServiceDeps {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  sealer: Sealer;
  hasher: PasswordHasher;
  /** Pwned Passwords range lookups (fail open) */
  breachCheck: BreachedPasswordChecker;
  clock: () => Date;
  log: Logger;
  /** the process's metrics (served by GET /metrics); services record outcomes through `ServiceMetrics` */
  metrics: ApiMetrics;
  rateLimits: RateLimits;
  /** SHA-256 of ADMIN_API_KEY */
  platformKeyHash: Buffer;
  /** the key Idempotency-Key request fingerprints are HMACs under (derived from SECRETS_KEY) */
  fingerprintKey: Buffer;
  sessionTtlSeconds: number;
  /** how long a request waits on Temporal before answering 503 */
  workflowWaitMs: number;
  /** passed to every rotation run and bulk forced reset */
  bulkTuning: BulkTuning;
  /** passed to every user import's workflow */
  importTuning: UserImportTuning;
  /** SHA-256 of the HTTP Basic credentials of /webhooks/postmark; undefined: every webhook is refused */
  mailWebhook: { user: Buffer; password: Buffer } | undefined;
  /** events per page when the audit log is exported (each page one query) */
  auditExportPageSize: number;
  /** the local mail sink's own /dev/mailbox, only while the sink is the mail transport (development) */
  devMailboxUrl: string | undefined;
  /** how webhook URLs are checked (WEBHOOK_ALLOW_LOOPBACK) */
  webhooks: WebhookServiceConfig;
}

export function createServiceDeps(config: Config, p: { pool: Pool; temporal: Client; log: Logger }): ServiceDeps {
  const metrics = createApiMetrics();
  return {
    pool: p.pool,
    temporal: p.temporal,
    taskQueue: config.temporal.taskQueue,
    sealer: new Sealer(config.secretsKeys.primary, config.secretsKeys.previous),
    hasher: new PasswordHasher(ARGON2_PARAMS, metrics),
    breachCheck: createBreachChecker(config.pwnedPasswordsUrl, metrics, (outcome, error) => p.log.warn('breached-password lookup missed; the password is let through', { outcome, error })),
    clock: () => new Date(),
    log: p.log,
    metrics,
    rateLimits: createRateLimits(p.pool, config.rateLimit, metrics),
    platformKeyHash: hashToken(config.adminApiKey),
    fingerprintKey: fingerprintKey(config.secretsKeys.primary),
    sessionTtlSeconds: config.sessionTtlSeconds,
    workflowWaitMs: 15_000,
    bulkTuning: config.bulkTuning,
    importTuning: config.importTuning,
    mailWebhook: config.mail.webhook ? { user: hashToken(config.mail.webhook.user), password: hashToken(config.mail.webhook.password) } : undefined,
    auditExportPageSize: 1000,
    devMailboxUrl: config.mail.sink && config.mail.apiHost ? `http://${config.mail.apiHost}/dev/mailbox` : undefined,
    webhooks: { allowLoopback: config.webhooks.allowLoopback },
  };
}
