import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { findTenant, type Tenant } from '../services/tenants';
import type { SessionPrincipal } from '../services/sessions';
import { authenticateAdmin, authenticateMailWebhook, authenticateSession, authorizeMetrics, type AdminPrincipal } from './auth';
import type { HttpDeps } from './deps';
import { idempotencyKey, runOnce, type Reply } from './idempotencyKey';
import { fieldErrors, Problem, problems, sendProblem } from './problems';
import { nameRoute } from './requestObservability';

/**
 * Routes are declared once, as data: method, path, schemas, responses and a
 * handler. src/api/app.ts mounts them on Express and src/api/openapi.ts
 * describes them, so the OpenAPI document cannot drift from what runs.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type { Reply };

/** One documented answer: JSON with `schema`, or another media type (`contentType`, its schema a string). */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  /** other representations besides JSON, by media type (the audit log's `text/csv`) */
  media?: Record<string, z.ZodType>;
}

interface Context<P, Q, B> {
  req: Request;
  res: Response;
  deps: HttpDeps;
  params: P;
  query: Q;
  body: B;
}

export interface AdminContext<P, Q, B> extends Context<P, Q, B> {
  admin: AdminPrincipal;
  /** the tenant named by `{tenantId}`, checked against the key */
  tenant: Tenant;
}

export interface RouteDef {
  method: Method;
  path: string;
  /** the operation's stable name in /openapi.json and the generated client (clients/typescript): a verb and a noun, camelCase */
  operationId: string;
  summary: string;
  tag: string;
  /** `metrics`: METRICS_TOKEN as a bearer token, or (without one) a request from localhost; `mail-webhook`: HTTP Basic (POSTMARK_WEBHOOK_USER / _PASSWORD) */
  auth: 'platform' | 'admin' | 'session' | 'metrics' | 'mail-webhook' | 'none';
  params?: z.ZodObject | undefined;
  query?: z.ZodObject | undefined;
  body?: z.ZodType | undefined;
  responses: Record<number, ResponseSpec>;
  /** problem statuses this route can answer with, besides 400/401/404/500 */
  problems?: number[];
  /**
   * The answer holds a secret shown once (a new API key, a webhook signing secret): it is never
   * stored for an Idempotency-Key replay (issue 17); a replay of such a request is answered without it.
   */
  secretAnswer?: true;
  /** the request body is read by the handler as a stream of this media type (a user import's NDJSON), not parsed as JSON */
  rawBody?: { contentType: string; schema: z.ZodType };
  /** the typed handler, called with the context its kind of route builds (checked by the helpers below) */
  handle(ctx: never): Promise<Reply>;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

interface Spec<P, Q, B> {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  responses: RouteDef['responses'];
  problems?: number[];
  secretAnswer?: true;
  rawBody?: RouteDef['rawBody'];
}

/** A tenant-admin route: `{tenantId}` in the path, the platform key or that tenant's key. */
export function adminRoute<P extends z.ZodObject, Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: Spec<P, Q, B>,
  handle: (ctx: AdminContext<z.infer<P>, Infer<Q>, Infer<B>>) => Promise<Reply>,
): RouteDef {
  return { ...spec, auth: 'admin', handle };
}

/** A route any admin key may call, outside any tenant (what the key is). */
export function keyRoute<Q extends z.ZodObject | undefined = undefined>(
  spec: Spec<undefined, Q, undefined>,
  handle: (ctx: Context<undefined, Infer<Q>, undefined> & { admin: AdminPrincipal }) => Promise<Reply>,
): RouteDef {
  return { ...spec, auth: 'admin', handle };
}

/** A platform-admin route (ADMIN_API_KEY only). */
export function platformRoute<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: Spec<P, Q, B>,
  handle: (ctx: Context<Infer<P>, Infer<Q>, Infer<B>> & { admin: AdminPrincipal; tenant: Tenant | undefined }) => Promise<Reply>,
): RouteDef {
  return { ...spec, auth: 'platform', handle };
}

/** An end-user route authenticated by a session token. */
export function sessionRoute<Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: Spec<undefined, Q, B>,
  handle: (ctx: Context<undefined, Infer<Q>, Infer<B>> & { session: SessionPrincipal }) => Promise<Reply>,
): RouteDef {
  return { ...spec, auth: 'session', handle };
}

/** The mail provider's webhooks: HTTP Basic credentials (POSTMARK_WEBHOOK_USER / _PASSWORD), checked before the body is. */
export function mailWebhookRoute<B extends z.ZodType | undefined = undefined>(
  spec: Spec<undefined, undefined, B>,
  handle: (ctx: Context<undefined, undefined, Infer<B>>) => Promise<Reply>,
): RouteDef {
  return { ...spec, auth: 'mail-webhook', handle };
}

/** An unauthenticated route (sign-in, reset completion): rate-limited in its handler. */
export function publicRoute<Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: Spec<undefined, Q, B>,
  handle: (ctx: Context<undefined, Infer<Q>, Infer<B>>) => Promise<Reply>,
): RouteDef {
  return { ...spec, auth: 'none', handle };
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.invalidRequest(`The ${what} is not valid.`, fieldErrors(parsed.error));
  return parsed.data;
}

/** A route that takes no body accepts none, or `{}`: anything else is an unknown field. */
function noBody(body: unknown): undefined {
  const empty = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
  if (!empty) {
    throw problems.invalidRequest('This route takes no request body.', [{ field: '(body)', code: 'unrecognized_keys', message: 'send no body' }]);
  }
  return undefined;
}

/** A route for operators' tools (GET /metrics): METRICS_TOKEN, or localhost when none is set. */
export function metricsRoute(spec: Spec<undefined, undefined, undefined>, handle: (ctx: Context<undefined, undefined, undefined>) => Promise<Reply>): RouteDef {
  return { ...spec, auth: 'metrics', handle };
}

/** Express path syntax from OpenAPI's: /users/{userId} → /users/:userId */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

export function mountRoutes(router: express.Router, routes: RouteDef[], deps: HttpDeps): void {
  for (const def of routes) {
    router[def.method](expressPath(def.path), async (req: Request, res: Response) => {
      nameRoute(res, def.path);
      try {
        const ctx: Record<string, unknown> = { req, res, deps };
        // who is asking (read only), then the request's shape; the credential's use is recorded
        // (a session's or a key's last use) only once the request is found well-formed, so a 4xx writes nothing
        let recordUse = async () => undefined as void;
        if (def.auth === 'metrics') authorizeMetrics(req, deps);
        if (def.auth === 'admin' || def.auth === 'platform') ({ admin: ctx['admin'], recordUse } = await authenticateAdmin(req, deps));
        if (def.auth === 'session') ({ session: ctx['session'], recordUse } = await authenticateSession(req, deps));
        if (def.auth === 'mail-webhook') authenticateMailWebhook(req, deps);
        const params = def.params ? parse(def.params, req.params, 'path') : undefined;
        ctx['params'] = params;
        ctx['query'] = def.query ? parse(def.query, req.query, 'query string') : undefined;
        const admin = ctx['admin'] as AdminPrincipal | undefined;
        if (admin && def.auth === 'platform' && admin.scope !== 'platform') throw problems.forbidden();
        const tenantId = (params as { tenantId?: string } | undefined)?.tenantId;
        if (admin && tenantId !== undefined) {
          // A tenant key asking for another tenant learns nothing: the same 404 as a tenant that does not exist.
          const tenant = admin.scope === 'tenant' && admin.tenantId !== tenantId ? undefined : await findTenant(deps, tenantId);
          if (!tenant) throw problems.notFound('The tenant');
          ctx['tenant'] = tenant;
        }
        ctx['body'] = def.body ? parse(def.body, req.body ?? {}, 'request body') : def.rawBody ? undefined : noBody(req.body);
        await recordUse();
        const run = () => (def.handle as (c: Record<string, unknown>) => Promise<Reply>)(ctx);
        // an admin's state-changing request with an Idempotency-Key runs once per key
        const key = admin && def.method !== 'get' ? idempotencyKey(req) : undefined;
        if (admin && key) return await runOnce(deps, req, res, { owner: `admin:${admin.actor.id}`, key, secretAnswer: def.secretAnswer }, run);
        const reply = await run();
        if (reply.headers) res.set(reply.headers);
        if (reply.stream) return await streamReply(res, reply.status, reply.stream, deps);
        if (reply.body === undefined) res.status(reply.status).end();
        else if (reply.contentType) res.status(reply.status).type(reply.contentType).send(reply.body);
        else res.status(reply.status).json(reply.body);
      } catch (err) {
        if (err instanceof Problem) return sendProblem(res, err);
        throw err;
      }
    });
  }
}

/** Write a streamed reply with back-pressure; a failure half-way is logged and cuts the response short (the client sees it incomplete). */
async function streamReply(res: Response, status: number, chunks: AsyncIterable<string>, deps: HttpDeps): Promise<void> {
  res.status(status);
  try {
    await pipeline(Readable.from(chunks, { objectMode: true, highWaterMark: 1 }), res);
  } catch (err) {
    if (!res.headersSent) throw err;
    deps.log.error('streamed response failed part-way', { error: String(err) });
  }
}
