import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LocalSecrets } from '../src/config';

const fileSchema = z.object({ adminApiKey: z.string().min(24), secretsKey: z.string().min(40), postgresPassword: z.string().min(16) });

/**
 * Development secrets that nobody configured: generated on first use and kept in
 * `DATA_DIR/secrets.json` (mode 0600), so every process and every later start
 * agrees on them. Production sets ADMIN_API_KEY and SECRETS_KEY instead.
 */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  fs.mkdirSync(dataDir, { recursive: true });
  const fresh: LocalSecrets = {
    adminApiKey: `rf_platform_${randomBytes(24).toString('base64url')}`,
    secretsKey: randomBytes(32).toString('base64'),
    postgresPassword: randomBytes(18).toString('base64url'),
  };
  try {
    // 'wx' fails when the file exists, so two processes starting at once keep one set.
    fs.writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
