import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LocalSecrets } from './config';
import { writeOnceOrRead } from './secretsFile';

const fileSchema = z.object({
  adminApiKey: z.string().min(24),
  secretsKey: z.string().min(40),
  postgresPassword: z.string().min(16),
  // added later: a secrets.json written before them gets them added, keeping the rest
  postmarkWebhookUser: z.string().min(1).optional(),
  postmarkWebhookPassword: z.string().min(16).optional(),
});

function generate(): LocalSecrets {
  return {
    adminApiKey: `rf_platform_${randomBytes(24).toString('base64url')}`,
    secretsKey: randomBytes(32).toString('base64'),
    postgresPassword: randomBytes(18).toString('base64url'),
    postmarkWebhookUser: 'postmark',
    postmarkWebhookPassword: randomBytes(24).toString('base64url'),
  };
}

/**
 * Development secrets that nobody configured (the entry points ask for them only when
 * NODE_ENV is not production): generated on first use and kept in
 * `DATA_DIR/secrets.json` (mode 0600), so every process and every later start
 * agrees on them. Production sets ADMIN_API_KEY, SECRETS_KEY and the webhook
 * credentials instead.
 */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const fresh = generate();
  const { secrets: stored } = writeOnceOrRead(file, fresh, fileSchema);
  const { postmarkWebhookUser: user, postmarkWebhookPassword: password } = stored;
  if (user && password) return { ...stored, postmarkWebhookUser: user, postmarkWebhookPassword: password };
  return addMissing(file, stored, fresh);
}

/**
 * Add the webhook credentials to an older secrets.json, keeping everything in it:
 * written to a temporary file and renamed over the old one (atomic), then read back,
 * so processes that start at once settle on what the file holds (`npm start` reads
 * it before it starts the API, the worker and the mail sink).
 */
function addMissing(file: string, stored: z.infer<typeof fileSchema>, fresh: LocalSecrets): LocalSecrets {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...stored, postmarkWebhookUser: fresh.postmarkWebhookUser, postmarkWebhookPassword: fresh.postmarkWebhookPassword }, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  const written = fileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  return { ...written, postmarkWebhookUser: written.postmarkWebhookUser!, postmarkWebhookPassword: written.postmarkWebhookPassword! };
}
