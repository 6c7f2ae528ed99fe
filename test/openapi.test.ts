import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/paths';
import { asHttpResponse, useTestEnv } from './support/env';

/**
 * Every route of the contract: each `METHOD /path` in backticks in docs/api.md (the copy of
 * the contract kept in this repository), its query string dropped and `{t}` spelled as the
 * document spells it, `{tenantId}`.
 */
function contractRoutes(): string[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'api.md'), 'utf8');
  const routes = [...text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s?]*)[^`]*`/g)].map(
    ([, method, route]) => `${method} ${route!.replace(/\{t\}/g, '{tenantId}')}`,
  );
  return [...new Set(routes)];
}

/**
 * Routes of api.md that other branches are building right now. Each leaves this set when its
 * branch merges; the test below fails on a route listed here that is already documented, so the
 * set cannot go stale.
 */
const PENDING = new Set<string>([
]);

const CONTRACT = contractRoutes();

const env = useTestEnv({ worker: false });

async function servedDocument(): Promise<any> {
  const res = asHttpResponse(await env.apiAs(null).GET('/openapi.json'));
  expect(res.status).toBe(200);
  return res.body;
}

function operations(doc: any): { route: string; op: any }[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
    Object.entries(ops).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, op })),
  );
}

test('docs/api.md is read: its routes include the ones every version of the contract has', () => {
  expect(CONTRACT).toEqual(expect.arrayContaining([
    'POST /admin/tenants', 'GET /admin/tenants/{tenantId}/users/{userId}', 'POST /auth/sign-in', 'GET /reset-password',
    'GET /healthz', 'GET /readyz', 'GET /dev/mailbox', 'GET /metrics', 'POST /webhooks/postmark', 'GET /openapi.json',
  ]));
  for (const pending of PENDING) expect({ pending, inContract: CONTRACT.includes(pending) }).toEqual({ pending, inContract: true });
});

test('GET /openapi.json documents every route of the contract, with its problem answers', async () => {
  const doc = await servedDocument();
  expect(doc.openapi).toBe('3.1.0');
  const documented = operations(doc).map((o) => o.route);
  expect(documented).toEqual(expect.arrayContaining(CONTRACT.filter((r) => !PENDING.has(r))));
  // a route in PENDING that is documented now has landed: take it out of PENDING
  expect(documented.filter((r) => PENDING.has(r))).toEqual([]);
  const temp = doc.paths['/admin/tenants/{tenantId}/users/{userId}/temporary-password'].post;
  expect(Object.keys(temp.responses).sort()).toEqual(['200', '202', '400', '401', '404', '409', '413', '422', '500', '503']);
  expect(temp.responses['422'].content['application/problem+json']).toBeDefined();
  const body = temp.requestBody.content['application/json'].schema;
  expect(body.properties.mustResetOnNextSignIn.default).toBe(true);
  expect(body.additionalProperties).toBe(false);
  expect(Object.keys(doc.paths['/admin/tenants/{tenantId}/audit-events'].get.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
  const webhook = doc.paths['/webhooks/postmark'].post;
  expect(webhook.security).toEqual([{ mailWebhook: [] }]);
  expect(doc.components.securitySchemes.mailWebhook).toMatchObject({ type: 'http', scheme: 'basic' });
  expect(Object.keys(webhook.responses).sort()).toEqual(['200', '400', '401', '413', '500', '503']);
});

test('every operation has a unique operationId, a declared security and defined schemes; the server is PUBLIC_URL', async () => {
  const doc = await servedDocument();
  const ops = operations(doc);
  const ids = ops.map((o) => o.op.operationId);
  expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  expect(doc.paths['/admin/tenants/{tenantId}/users/{userId}/password-reset-email'].post.operationId).toBe('sendPasswordResetEmail');
  expect(doc.paths['/auth/sign-in'].post.operationId).toBe('signIn');
  const schemes = Object.keys(doc.components.securitySchemes).sort();
  for (const { route, op } of ops) {
    expect({ route, security: Array.isArray(op.security) }).toEqual({ route, security: true });
    for (const requirement of op.security) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
  }
  expect(doc.paths['/admin/tenants'].post.security).toEqual([{ adminKey: [] }]);
  expect(doc.paths['/auth/session'].get.security).toEqual([{ session: [] }]);
  expect(doc.paths['/healthz'].get.security).toEqual([]);
  expect(doc.servers).toEqual([{ url: env.baseUrl, description: expect.any(String) }]);
  expect(doc.info.license).toEqual({ name: expect.stringContaining('Proprietary'), identifier: 'LicenseRef-Proprietary' });
});

test('the served document passes `redocly lint` (redocly.yaml: recommended rules, as errors) with no error and no warning', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resetflow-openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(await servedDocument()));
  const cli = path.join(PROJECT_ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--format=json'], { cwd: PROJECT_ROOT })
    .catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
  const report = JSON.parse(run.stdout);
  const problems = report.problems.map((p: { ruleId: string; message: string }) => `${p.ruleId}: ${p.message}`);
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
});

test('every documented route is served (no 404 for a documented method and path)', async () => {
  const doc = await servedDocument();
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) {
      const concrete = p
        .replace('{tenantId}', 'no-such-tenant')
        .replace(/\{(userId|sessionId|resetId|operationId|keyId)\}/g, '00000000-0000-4000-8000-000000000000');
      const answer = await env.http(method.toUpperCase(), concrete, { auth: 'rfk_nobody' });
      // unauthenticated, unknown tenant or bad body: anything but "no such route"
      expect({ route: `${method} ${p}`, notFound: answer.status === 404 && answer.body?.detail === 'This route does not exist.' }).toEqual({ route: `${method} ${p}`, notFound: false });
    }
  }
});
