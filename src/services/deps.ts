import type { Client } from '@temporalio/client';
import type { BulkTuning } from '../contract/bulkReset';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../log';
import { createApiMetrics, type ApiMetrics } from '../observability/promMetrics';
import { ARGON2_PARAMS, PasswordHasher } from '../security/passwordHashing';
import { Sealer } from '../security/sealing';
import { hashToken } from '../security/tokens';
import { createRateLimits, type RateLimits } from './rateLimits';

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
  clock: () => Date;
  log: Logger;
  /** the process's metrics (served by GET /metrics); services record outcomes through `ServiceMetrics` */
  metrics: ApiMetrics;
  rateLimits: RateLimits;
  /** SHA-256 of ADMIN_API_KEY */
  platformKeyHash: Buffer;
  sessionTtlSeconds: number;
  /** how long a request waits on Temporal before answering 503 */
  workflowWaitMs: number;
  /** passed to every rotation run and bulk forced reset */
  bulkTuning: BulkTuning;
  /** the local mail sink's own /dev/mailbox, only while the sink is the mail transport (development) */
  devMailboxUrl: string | undefined;
}

export function createServiceDeps(config: Config, p: { pool: Pool; temporal: Client; log: Logger }): ServiceDeps {
  const metrics = createApiMetrics();
  return {
    pool: p.pool,
    temporal: p.temporal,
    taskQueue: config.temporal.taskQueue,
    sealer: new Sealer(config.secretsKeys.primary, config.secretsKeys.previous),
    hasher: new PasswordHasher(ARGON2_PARAMS, metrics),
    clock: () => new Date(),
    log: p.log,
    metrics,
    rateLimits: createRateLimits(p.pool, config.rateLimit, metrics),
    platformKeyHash: hashToken(config.adminApiKey),
    sessionTtlSeconds: config.sessionTtlSeconds,
    workflowWaitMs: 15_000,
    bulkTuning: config.bulkTuning,
    devMailboxUrl: config.mail.sink && config.mail.apiHost ? `http://${config.mail.apiHost}/dev/mailbox` : undefined,
  };
}
