import type { Client } from '@temporalio/client';
import type { BulkTuning, Config } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../log';
import { PasswordHasher } from '../security/passwordHashing';
import { Sealer } from '../security/sealing';
import { hashToken } from '../security/tokens';
import { createRateLimits, type RateLimits } from './rateLimits';

/** Everything the HTTP layer uses, built once by src/api/server.ts (or a test). */
export interface ApiDeps {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  sealer: Sealer;
  hasher: PasswordHasher;
  clock: () => Date;
  log: Logger;
  rateLimits: RateLimits;
  /** SHA-256 of ADMIN_API_KEY */
  platformKeyHash: Buffer;
  publicUrl: string;
  temporalUiUrl: string;
  sessionTtlSeconds: number;
  /** Express "trust proxy" setting, when behind a proxy */
  trustProxy: string | undefined;
  /** how long a request waits on a workflow before answering 503 */
  workflowWaitMs: number;
  /** passed to every rotation run and bulk forced reset */
  bulkTuning: BulkTuning;
}

export function createApiDeps(config: Config, p: { pool: Pool; temporal: Client; log: Logger }): ApiDeps {
  return {
    pool: p.pool,
    temporal: p.temporal,
    taskQueue: config.temporal.taskQueue,
    sealer: new Sealer(config.secretsKeys.primary, config.secretsKeys.previous),
    hasher: new PasswordHasher(),
    clock: () => new Date(),
    log: p.log,
    rateLimits: createRateLimits(p.pool, config.rateLimit),
    platformKeyHash: hashToken(config.adminApiKey),
    publicUrl: config.publicUrl,
    temporalUiUrl: config.temporal.uiUrl,
    sessionTtlSeconds: config.sessionTtlSeconds,
    trustProxy: config.trustProxy,
    workflowWaitMs: 15_000,
    bulkTuning: config.bulkTuning,
  };
}
