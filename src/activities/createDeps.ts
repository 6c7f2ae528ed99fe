import type { MetricMeter } from '@temporalio/common';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { createPostmarkMailer } from '../mail/mailer';
import { createActivityMetrics } from '../observability/temporalMetrics';
import { ARGON2_PARAMS, PasswordHasher } from '../security/passwordHashing';
import { Sealer } from '../security/sealing';
import { createBreachChecker } from '../security/breachedPasswords';
import type { ActivityDeps } from './deps';

/** `meter`: the worker Runtime's (worker.ts), so activity metrics leave by its Prometheus exporter; none: not recorded. */
export function createActivityDeps(config: Config, pool: Pool, meter?: MetricMeter): ActivityDeps {
  const metrics = createActivityMetrics(meter);
  return {
    pool,
    mailer: createPostmarkMailer({
      serverToken: config.mail.postmarkServerToken,
      apiHost: config.mail.apiHost,
      from: config.mail.from,
      messageStream: config.mail.messageStream,
    }),
    clock: () => new Date(),
    sealer: new Sealer(config.secretsKeys.primary, config.secretsKeys.previous),
    hasher: new PasswordHasher(ARGON2_PARAMS, metrics),
    breachCheck: createBreachChecker(config.pwnedPasswordsUrl, metrics),
    metrics,
    publicUrl: config.publicUrl,
    webhooks: { allowLoopback: config.webhooks.allowLoopback, disableAfterMs: config.webhooks.disableAfterMs, timeoutMs: config.webhooks.timeoutMs },
  };
}
