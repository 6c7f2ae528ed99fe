import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadLocalSecrets } from '../src/localSecrets';
import { ConfigError, loadConfig } from '../src/config';
import { PROJECT_ROOT, WORKER_NODE_FLAGS } from '../src/paths';

const production = {
  NODE_ENV: 'production', DATABASE_URL: 'postgres://db/resetflow', ADMIN_API_KEY: 'a'.repeat(32), SECRETS_KEY: randomBytes(32).toString('base64'),
  PUBLIC_URL: 'https://reset.example.com',
};

describe('the webhook credentials (POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD)', () => {
  test('production with Postmark itself requires them; with the local sink or Postmark\'s test token it does not', () => {
    expect(() => loadConfig({ ...production, POSTMARK_SERVER_TOKEN: 'server-token' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, POSTMARK_SERVER_TOKEN: 'server-token' })).toThrow(/POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD must be set/);
    const set = loadConfig({ ...production, POSTMARK_SERVER_TOKEN: 'server-token', POSTMARK_WEBHOOK_USER: 'postmark', POSTMARK_WEBHOOK_PASSWORD: 'a-long-webhook-password' });
    expect(set.mail.webhook).toEqual({ user: 'postmark', password: 'a-long-webhook-password' });
    expect(loadConfig(production).mail.webhook).toBeUndefined();
    expect(loadConfig({ ...production, POSTMARK_SERVER_TOKEN: 'POSTMARK_API_TEST' }).mail.webhook).toBeUndefined();
  });

  test('both or neither; a short password or a user with a colon is refused', () => {
    expect(() => loadConfig({ ...production, POSTMARK_WEBHOOK_USER: 'postmark' })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...production, POSTMARK_WEBHOOK_USER: 'postmark', POSTMARK_WEBHOOK_PASSWORD: 'short' })).toThrow(/POSTMARK_WEBHOOK_PASSWORD: must be at least 16/);
    expect(() => loadConfig({ ...production, POSTMARK_WEBHOOK_USER: 'a:b', POSTMARK_WEBHOOK_PASSWORD: 'a-long-webhook-password' })).toThrow(/POSTMARK_WEBHOOK_USER/);
  });

  test('in development they are generated once and kept in DATA_DIR; an older secrets.json gets them added, keeping the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-secrets-'));
    try {
      const older = { adminApiKey: `rf_platform_${'k'.repeat(32)}`, secretsKey: randomBytes(32).toString('base64'), postgresPassword: 'p'.repeat(24) };
      fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(older), { mode: 0o600 });
      const first = loadLocalSecrets(dir);
      expect(first).toEqual({ ...older, postmarkWebhookUser: 'postmark', postmarkWebhookPassword: expect.stringMatching(/^[\w-]{24,}$/) });
      expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
      expect(loadLocalSecrets(dir)).toEqual(first);
      expect(fs.readdirSync(dir)).toEqual(['secrets.json']);

      const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DATABASE_URL: 'postgres://db/x' }, { localSecrets: loadLocalSecrets });
      expect(config.mail.webhook).toEqual({ user: 'postmark', password: first.postmarkWebhookPassword });
      expect(config.adminApiKey).toBe(older.adminApiKey);
      // configured ones win; without a launcher's local secrets (tests) and none configured, the webhook refuses everything
      expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DATABASE_URL: 'postgres://db/x', POSTMARK_WEBHOOK_USER: 'u', POSTMARK_WEBHOOK_PASSWORD: 'p'.repeat(16) }, { localSecrets: loadLocalSecrets }).mail.webhook)
        .toEqual({ user: 'u', password: 'p'.repeat(16) });
      expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://db/x', ADMIN_API_KEY: older.adminApiKey, SECRETS_KEY: older.secretsKey }).mail.webhook).toBeUndefined();

      // a fresh DATA_DIR gets the whole set at once
      const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-secrets-'));
      expect(Object.keys(loadLocalSecrets(fresh)).sort()).toEqual(['adminApiKey', 'postgresPassword', 'postmarkWebhookPassword', 'postmarkWebhookUser', 'secretsKey']);
      fs.rmSync(fresh, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the worker process's memory (WORKER_NODE_FLAGS, WORKER_MAX_CACHED_WORKFLOWS)", () => {
  test('docker-compose.yml and `npm run worker` start the worker with the same V8 flags as npm start, npm run cluster and the bench', () => {
    expect(WORKER_NODE_FLAGS).toEqual([expect.stringMatching(/^--max-old-space-size=\d+$/)]);
    const compose = fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`command: ${JSON.stringify(['node', ...WORKER_NODE_FLAGS, 'dist/worker.js']).replace(/,/g, ', ')}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['worker']).toBe(['node', ...WORKER_NODE_FLAGS, 'dist/worker.js'].join(' '));
  });

  test('the sticky cache is bounded by default, and can be set or turned off', () => {
    const env = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', TEMPORAL_ADDRESS: '127.0.0.1:7233', ADMIN_API_KEY: 'k'.repeat(32), SECRETS_KEY: randomBytes(32).toString('base64') };
    expect(loadConfig(env).workerMaxCachedWorkflows).toBe(250);
    expect(loadConfig({ ...env, WORKER_MAX_CACHED_WORKFLOWS: '1000' }).workerMaxCachedWorkflows).toBe(1000);
    expect(loadConfig({ ...env, WORKER_MAX_CACHED_WORKFLOWS: '0' }).workerMaxCachedWorkflows).toBe(0);
    expect(() => loadConfig({ ...env, WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(ConfigError);
  });
});
