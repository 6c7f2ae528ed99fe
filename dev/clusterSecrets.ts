import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The secrets docker-compose.yml asks its operator for (`${VAR:?…}`), generated once for
 * `npm run cluster` and kept in `DATA_DIR/cluster-secrets.json` (mode 0600), so every later
 * start agrees with the data it left. Database passwords are hex: they go into URLs.
 */
const secretsSchema = z.object({
  postgresPassword: z.string().min(16),
  resetflowDbPassword: z.string().regex(/^[0-9a-f]{32,}$/),
  temporalDbPassword: z.string().regex(/^[0-9a-f]{32,}$/),
  adminApiKey: z.string().min(24),
  secretsKey: z.string().refine((s) => Buffer.from(s, 'base64').length === 32),
  postmarkServerToken: z.string().min(16),
  postmarkWebhookUser: z.string().min(8),
  postmarkWebhookPassword: z.string().min(16),
  metricsToken: z.string().min(24),
});

export type ClusterSecrets = z.infer<typeof secretsSchema>;

export function loadClusterSecrets(dataDir: string): ClusterSecrets {
  const file = path.join(dataDir, 'cluster-secrets.json');
  fs.mkdirSync(dataDir, { recursive: true });
  const hex = (n: number) => randomBytes(n).toString('hex');
  const fresh: ClusterSecrets = {
    postgresPassword: hex(24),
    resetflowDbPassword: hex(24),
    temporalDbPassword: hex(24),
    adminApiKey: `rf_platform_${randomBytes(24).toString('base64url')}`,
    secretsKey: randomBytes(32).toString('base64'),
    postmarkServerToken: `local-sink-${hex(12)}`,
    postmarkWebhookUser: `postmark-${hex(4)}`,
    postmarkWebhookPassword: hex(24),
    metricsToken: hex(24),
  };
  try {
    // 'wx' fails when the file exists: the first set wins, for good
    fs.writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const parsed = secretsSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a set of cluster secrets (${parsed.error.issues[0]?.path.join('.')}); move it away to generate a new one`);
  return parsed.data;
}
