import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { createPostmarkMailer } from '../mail/mailer';
import { PasswordHasher } from '../security/passwordHashing';
import { Sealer } from '../security/sealing';
import type { ActivityDeps } from './deps';

export function createActivityDeps(config: Config, pool: Pool): ActivityDeps {
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
    hasher: new PasswordHasher(),
    publicUrl: config.publicUrl,
  };
}
