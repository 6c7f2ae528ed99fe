import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { problemSchema } from './problems';
import type { RouteDef } from './route';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'invalid_request (or invalid_token): malformed JSON, unknown fields, wrong types, ids of the wrong shape',
  401: 'unauthenticated, or invalid_credentials at sign-in',
  403: 'forbidden: needs the platform key',
  404: 'not_found (also for another tenant\'s resources)',
  409: 'conflict: email_taken, identity_taken, tenant_exists, no_password_identity',
  410: 'link_expired, link_used, token_used, token_expired',
  413: 'invalid_request: body over 64 KiB',
  422: 'password_policy, with the failed rules in errors',
  429: 'rate_limited, with Retry-After',
  503: 'temporarily_unavailable: Temporal did not answer in time; nothing was lost',
};

/** The OpenAPI 3.1 document, generated from the same route table Express mounts. */
export function buildOpenApi(routes: RouteDef[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'adminKey', { type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY or a tenant key' });
  registry.registerComponent('securitySchemes', 'session', { type: 'http', scheme: 'bearer', description: 'the session token from sign-in' });
  registry.registerComponent('securitySchemes', 'metricsToken', { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (without it, /metrics answers localhost only)' });
  const scheme = { platform: 'adminKey', admin: 'adminKey', session: 'session', metrics: 'metricsToken' } as const;
  const problemContent = { 'application/problem+json': { schema: problemSchema } };

  for (const r of routes) {
    const statuses = new Set([400, 413, 500, ...(r.auth === 'none' ? [] : r.auth === 'metrics' ? [401] : [401, 404]), ...(r.problems ?? [])]);
    registry.registerPath({
      method: r.method,
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      security: r.auth === 'none' ? [] : [{ [scheme[r.auth]]: [] }],
      request: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { query: r.query } : {}),
        ...(r.body ? { body: { content: { 'application/json': { schema: r.body } }, required: false } } : {}),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses).map(([status, resp]) => [
            status,
            { description: resp.description, ...(resp.schema ? { content: { [resp.contentType ?? 'application/json']: { schema: resp.schema } } } : {}) },
          ]),
        ),
        ...Object.fromEntries(
          [...statuses].map((s) => [String(s), { description: PROBLEM_TEXT[s] ?? 'internal_error', content: problemContent }]),
        ),
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/reset-password',
    summary: 'The reset-link page: an HTML form that posts to /auth/password-reset (opening it never consumes the link)',
    tags: ['End users'],
    request: { query: z.object({ token: z.string() }) },
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'resetflow',
      version: '1.0.0',
      description: 'Multi-tenant password resets on Temporal. Errors are RFC 9457 problem documents with a stable `code`.',
    },
  });
}
