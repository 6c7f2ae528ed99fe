/**
 * @resetflow/client: a typed client for the resetflow HTTP API.
 *
 * `schema.d.ts` is generated from the API's OpenAPI document by openapi-typescript
 * (`npm run client:generate` at the repository root; `npm test` fails when it is
 * out of date); requests go through openapi-fetch. Every path, parameter, body and
 * answer is typed from that document, which the server generates from the same
 * route table it mounts.
 *
 *   const api = createResetflowClient({ baseUrl: 'https://reset.example.org', key: process.env.RESETFLOW_KEY });
 *   const { data, error } = await api.POST('/admin/tenants/{tenantId}/users/{userId}/password-reset-email', {
 *     params: { path: { tenantId: 'acme', userId } },
 *     body: { revokeSessions: false },
 *   });
 */
import createClient, { mergeHeaders, type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type { Client, ClientOptions, FetchResponse, Middleware } from 'openapi-fetch';

/** An RFC 9457 problem document: every error answer of the API; switch on `code`. */
export type Problem = components['schemas']['Problem'];

export type ResetflowClient = Client<paths>;

/** The JSON body an operation answers with (by operationId), for a status (200 unless given). */
export type ResponseBody<O extends keyof operations, S extends keyof operations[O]['responses'] = 200 & keyof operations[O]['responses']> =
  operations[O]['responses'][S] extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body an operation takes (by operationId). */
export type RequestBody<O extends keyof operations> =
  NonNullable<operations[O]['requestBody']> extends { content: { 'application/json': infer B } } ? B : never;

export interface ResetflowClientOptions extends ClientOptions {
  /** the API's base URL (its PUBLIC_URL); '' for the same origin in a browser */
  baseUrl: string;
  /**
   * sent as `Authorization: Bearer <key>`: an admin key (ADMIN_API_KEY or a tenant key) for
   * /admin/..., or a session token from sign-in for /auth/...; none for public routes
   */
  key?: string | undefined;
}

/** A client for one base URL and one credential. */
export function createResetflowClient({ baseUrl, key, headers, ...options }: ResetflowClientOptions): ResetflowClient {
  return createClient<paths>({
    ...options,
    baseUrl,
    headers: mergeHeaders({ accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, headers),
  });
}
