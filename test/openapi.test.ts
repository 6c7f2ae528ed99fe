import { TestEnv } from './support/env';

/** Every route of ../shared/spec/api.md, as fixed there. */
const CONTRACT = [
  'POST /admin/tenants',
  'GET /admin/tenants/{tenantId}',
  'PATCH /admin/tenants/{tenantId}',
  'POST /admin/tenants/{tenantId}/api-keys',
  'POST /admin/tenants/{tenantId}/users',
  'GET /admin/tenants/{tenantId}/users',
  'GET /admin/tenants/{tenantId}/users/{userId}',
  'POST /admin/tenants/{tenantId}/users/{userId}/password-reset-email',
  'DELETE /admin/tenants/{tenantId}/users/{userId}/password-reset-email',
  'POST /admin/tenants/{tenantId}/users/{userId}/temporary-password',
  'POST /admin/tenants/{tenantId}/users/{userId}/force-password-reset',
  'GET /admin/tenants/{tenantId}/password-resets/{resetId}',
  'GET /admin/tenants/{tenantId}/password-resets',
  'GET /admin/tenants/{tenantId}/users/{userId}/sessions',
  'DELETE /admin/tenants/{tenantId}/users/{userId}/sessions/{sessionId}',
  'DELETE /admin/tenants/{tenantId}/users/{userId}/sessions',
  'GET /admin/tenants/{tenantId}/audit-events',
  'PUT /admin/tenants/{tenantId}/password-rotation',
  'GET /admin/tenants/{tenantId}/password-rotation',
  'DELETE /admin/tenants/{tenantId}/password-rotation',
  'POST /admin/tenants/{tenantId}/password-rotation/run',
  'POST /admin/tenants/{tenantId}/force-password-reset',
  'GET /admin/tenants/{tenantId}/bulk-operations/{operationId}',
  'DELETE /admin/tenants/{tenantId}/bulk-operations/{operationId}',
  'POST /auth/sign-in',
  'POST /auth/password/change',
  'GET /reset-password',
  'POST /auth/password-reset',
  'POST /auth/password-reset-request',
  'GET /auth/session',
  'POST /auth/sign-out',
  'POST /webhooks/postmark',
];

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.start({ worker: false });
});
afterAll(async () => {
  await env?.close();
});

test('GET /openapi.json documents every route of the contract, with its problem answers', async () => {
  const res = await env.http('GET', '/openapi.json', { auth: null });
  expect(res.status).toBe(200);
  const doc = res.body;
  expect(doc.openapi).toBe('3.1.0');
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  expect(documented).toEqual(expect.arrayContaining(CONTRACT));
  const temp = doc.paths['/admin/tenants/{tenantId}/users/{userId}/temporary-password'].post;
  expect(Object.keys(temp.responses).sort()).toEqual(['200', '400', '401', '404', '409', '413', '422', '500', '503']);
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

test('every documented route is served (no 404 for a documented method and path)', async () => {
  const res = await env.http('GET', '/openapi.json', { auth: null });
  for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) {
      const concrete = path
        .replace('{tenantId}', 'no-such-tenant')
        .replace(/\{(userId|sessionId|resetId|operationId)\}/g, '00000000-0000-4000-8000-000000000000');
      const answer = await env.http(method.toUpperCase(), concrete, { auth: 'rfk_nobody' });
      // unauthenticated, unknown tenant or bad body: anything but "no such route"
      expect({ route: `${method} ${path}`, notFound: answer.status === 404 && answer.body?.detail === 'This route does not exist.' }).toEqual({ route: `${method} ${path}`, notFound: false });
    }
  }
});
