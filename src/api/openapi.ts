import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { problemSchema } from './problems';
import type { RouteDef } from './route';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'invalid_request (or invalid_token): malformed JSON, unknown fields, wrong types, ids of the wrong shape',
  401: 'unauthenticated, or invalid_credentials at sign-in',
  403: 'forbidden: needs the platform key; approver_is_requester: a held reset is decided by another admin',
  404: 'not_found (also for another tenant\'s resources)',
  409: 'conflict: email_taken, identity_taken, tenant_exists, no_password_identity, approval_pending, approval_decided, webhook_delivery_not_failed',
  410: 'link_expired, link_used, token_used, token_expired',
  413: 'invalid_request: body over 64 KiB',
  422: 'password_policy, with the failed rules in errors',
  429: 'rate_limited, with Retry-After',
  503: 'temporarily_unavailable: a dependency did not answer in time; the detail says whether the action may still apply',
};

/**
 * How each kind of route authenticates, as an OpenAPI security scheme. A new kind
 * (HTTP Basic for a webhook, a metrics token) is one entry here and one in
 * RouteDef['auth']; only the schemes some route uses are put in the document.
 */
type Scheme = { name: string; scheme: { type: 'http'; scheme: string; description: string } };
const ADMIN_KEY: Scheme = {
  name: 'adminKey',
  scheme: { type: 'http', scheme: 'bearer', description: 'An admin key: ADMIN_API_KEY (the platform key, every tenant) or a tenant key from POST /admin/tenants/{tenantId}/api-keys' },
};
const SECURITY: Record<Exclude<RouteDef['auth'], 'none'>, Scheme> = {
  platform: ADMIN_KEY,
  admin: ADMIN_KEY,
  session: { name: 'session', scheme: { type: 'http', scheme: 'bearer', description: 'The session token from POST /auth/sign-in' } },
  metrics: { name: 'metricsToken', scheme: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (without it, GET /metrics answers requests from localhost only)' } },
  'mail-webhook': { name: 'mailWebhook', scheme: { type: 'http', scheme: 'basic', description: 'POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD, in the webhook URL configured at Postmark' } },
};

/** One named schema for every problem answer: `components.schemas.Problem` in the document and the client (zod's registry: once per process). */
const PROBLEM = problemSchema.meta({ id: 'Problem' });

/** What the document says of the project's licence (package.json: UNLICENSED): proprietary, no licence granted. */
export const LICENSE = { name: 'Proprietary: all rights reserved, no licence granted (package.json "UNLICENSED")', identifier: 'LicenseRef-Proprietary' };

export interface OpenApiOptions {
  /**
   * the API's base URL, PUBLIC_URL: the document's one server. Undefined for the
   * build-time document (no deployment behind it): its server is then the variable
   * `{publicUrl}`, defaulting to `npm start`'s http://localhost:3000.
   */
  publicUrl: string | undefined;
}

/** The OpenAPI 3.1 document, generated from the same route table Express mounts. */
export function buildOpenApi(routes: RouteDef[], options: OpenApiOptions): object {
  const registry = new OpenAPIRegistry();
  const problemContent = { 'application/problem+json': { schema: PROBLEM } };
  const operationIds = new Set<string>();
  const schemes = new Map<string, Scheme['scheme']>();

  for (const r of routes) {
    if (operationIds.has(r.operationId)) throw new Error(`two routes share the operationId ${r.operationId}`);
    operationIds.add(r.operationId);
    const security = r.auth === 'none' ? undefined : SECURITY[r.auth];
    if (security) schemes.set(security.name, security.scheme);
    const statuses = new Set([400, 413, 500, ...(r.auth === 'none' ? [] : r.auth === 'metrics' || r.auth === 'mail-webhook' ? [401] : [401, 404]), ...(r.problems ?? []), ...(r.secretAnswer ? [409] : [])]);
    registry.registerPath({
      method: r.method,
      path: r.path,
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      security: security ? [{ [security.name]: [] }] : [],
      request: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { query: r.query } : {}),
        // required unless the body may be left out (every field optional: the route reads a missing body as {})
        ...(r.body ? { body: { content: { 'application/json': { schema: r.body } }, required: !r.body.safeParse({}).success } } : {}),
        ...(r.rawBody ? { body: { content: { [r.rawBody.contentType]: { schema: r.rawBody.schema } }, required: true } } : {}),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses).map(([status, resp]) => [
            status,
            {
              description: resp.description,
              ...(resp.contentType
                ? { content: { [resp.contentType]: { schema: resp.schema ?? z.string() } } }
                : resp.schema || resp.media
                  ? { content: { ...(resp.schema ? { 'application/json': { schema: resp.schema } } : {}), ...Object.fromEntries(Object.entries(resp.media ?? {}).map(([type, schema]) => [type, { schema }])) } }
                  : {}),
            },
          ]),
        ),
        ...Object.fromEntries(
          [...statuses].map((s) => [String(s), {
            // an answer holding a secret is never kept: its Idempotency-Key replay says so (issue 17)
            description: r.secretAnswer && s === 409 ? `${PROBLEM_TEXT[s]}; secret_not_replayed: a replay of this request (same Idempotency-Key) — it was done, its secret is not kept; the problem names the id` : PROBLEM_TEXT[s] ?? 'internal_error',
            content: problemContent,
          }]),
        ),
      },
    });
  }
  for (const [name, scheme] of schemes) registry.registerComponent('securitySchemes', name, scheme);

  // The reset-link page is HTML for people (src/api/pages/), outside the JSON route table.
  const page = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
  registry.registerPath({
    method: 'get',
    path: '/reset-password',
    operationId: 'openResetPasswordPage',
    summary: 'The reset-link page: an HTML form that posts to /auth/password-reset (opening it never consumes the link)',
    tags: ['End users'],
    security: [],
    request: { query: z.object({ token: z.string() }) },
    responses: {
      200: page('The form to choose a new password'),
      400: page('invalid_token: the link is not valid (said on the page)'),
      410: page('link_expired or link_used (said on the page)'),
      500: { description: 'internal_error', content: problemContent },
      503: { description: PROBLEM_TEXT[503]!, content: problemContent },
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/report-password-change',
    operationId: 'openPasswordChangeReportPage',
    summary: "The \"this wasn't me\" page of a password-change notice: an HTML form that posts to /auth/password-change-report (opening it consumes nothing)",
    tags: ['End users'],
    security: [],
    request: { query: z.object({ token: z.string() }) },
    responses: {
      200: page('The question, and a button that locks the reported password'),
      400: page('invalid_token: the link is not valid (said on the page)'),
      410: page('link_expired or link_used (said on the page)'),
      500: { description: 'internal_error', content: problemContent },
      503: { description: PROBLEM_TEXT[503]!, content: problemContent },
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'resetflow',
      version: '1.0.0',
      description: 'Multi-tenant password resets on Temporal. Errors are RFC 9457 problem documents with a stable `code`.',
      license: LICENSE,
    },
    servers: [
      options.publicUrl !== undefined
        ? { url: options.publicUrl, description: 'This deployment (PUBLIC_URL)' }
        : {
            url: '{publicUrl}',
            description: 'A deployment: its PUBLIC_URL. A running API serves this document at /openapi.json naming its own.',
            variables: { publicUrl: { default: 'http://localhost:3000', description: "PUBLIC_URL (default: `npm start`'s)" } },
          },
    ],
  });
}
