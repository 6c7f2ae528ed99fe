import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { writeOnceOrRead } from '../src/secretsFile';

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
  return writeOnceOrRead(file, fresh, secretsSchema).secrets;
}
