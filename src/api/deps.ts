import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../log';
import { createServiceDeps, type ServiceDeps } from '../services/deps';

/** Everything the HTTP edge uses: the services' dependencies and what only the edge needs. */
export interface HttpDeps extends ServiceDeps {
  /** base of links in emails and the origin forms must come from (PUBLIC_URL) */
  publicUrl: string;
  /** the Temporal Web UI, for links to workflows */
  temporalUiUrl: string;
  /** Express "trust proxy" setting, when behind a proxy */
  trustProxy: string | undefined;
  /** the bearer token GET /metrics demands (METRICS_TOKEN); undefined: localhost only */
  metricsToken: string | undefined;
}

export function createHttpDeps(config: Config, p: { pool: Pool; temporal: Client; log: Logger }): HttpDeps {
  return {
    ...createServiceDeps(config, p),
    publicUrl: config.publicUrl,
    temporalUiUrl: config.temporal.uiUrl,
    trustProxy: config.trustProxy,
    metricsToken: config.metrics.token,
  };
}
