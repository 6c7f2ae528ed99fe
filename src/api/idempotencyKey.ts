import type { Request, Response } from 'express';
import { claimKey, completeKey, operationKey as scopedOperationKey, releaseKey, requestFingerprint, type StoredResponse } from '../services/idempotency';
import type { HttpDeps } from './deps';
import { Problem, problemFor, problems } from './problems';

/**
 * The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header): a
 * structured-field string (`"…"`; a bare token is taken too), 1–200 printable characters.
 */
export function idempotencyKey(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  const key = /^"(.*)"$/.test(raw) ? raw.slice(1, -1) : raw;
  if (key.length < 1 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw problems.invalidRequest('The Idempotency-Key header must be 1–200 printable ASCII characters.', [
      { field: 'Idempotency-Key', code: 'invalid_header', message: 'must be 1–200 printable ASCII characters' },
    ]);
  }
  return key;
}

/** The operation key of each request that claimed its Idempotency-Key (set by runOnce). */
const operationKeys = new WeakMap<Request, string>();

/**
 * What a route passes its service to derive operation ids from: its caller, its Idempotency-Key and the
 * claim's seed; undefined without a key. Never the bare key: the same value from another caller, or
 * after the retention, is another operation.
 */
export function operationKey(req: Request): string | undefined {
  return operationKeys.get(req);
}

/**
 * What is stored of a successful answer that held a secret shown once (a new API key, a webhook signing
 * secret): not the answer but `409 secret_not_replayed`, naming the resource's id, so a retry learns the
 * request was done and where to find what it made, and no secret sits in the table for 24 hours.
 */
function secretNotReplayed(r: StoredResponse): StoredResponse {
  if (r.status >= 300) return r;
  let id: unknown;
  try {
    id = (JSON.parse(r.body) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  const problem = problemFor({ ok: false, code: 'secret_not_replayed' });
  const body = { ...problem.toJSON(), ...(typeof id === 'string' ? { id } : {}) };
  return { status: problem.status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) };
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** send `body` (a string) as this media type instead of JSON (Prometheus text, HTML) */
  contentType?: string;
  /**
   * A streamed body instead of `body` (CSV exports, GET only, so never stored here): each
   * chunk is pulled only once the previous one was handed to the socket.
   */
  stream?: AsyncIterable<string>;
}

/** A stored outcome is replayed: successes and refusals. Throttling, conflicts in flight and outages are not (a retry redoes them). */
function storable(status: number): boolean {
  return status < 500 && status !== 429 && status !== 409;
}

function stored(reply: Reply): StoredResponse {
  return reply.body === undefined
    ? { status: reply.status, headers: reply.headers ?? {}, body: '' }
    : reply.contentType
      ? { status: reply.status, headers: { ...reply.headers, 'content-type': reply.contentType }, body: String(reply.body) }
      : { status: reply.status, headers: { ...reply.headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(reply.body) };
}

function send(res: Response, r: StoredResponse, replayed: boolean): void {
  res.set(r.headers);
  if (replayed) res.set('Idempotent-Replayed', 'true');
  res.status(r.status);
  if (r.body === '') res.end();
  else res.send(r.body);
}

/**
 * Run a state-changing request once per key: the same key with the same request (method,
 * path, body) gets the first request's outcome, concurrently or later, and never runs
 * again; with a different request it is refused (422 `idempotency_key_reused`). A request
 * that fails with a 5xx gives its key back, so its retry runs again — and converges,
 * because the services derive their operation ids from the key.
 */
export async function runOnce(
  deps: HttpDeps,
  req: Request,
  res: Response,
  p: { owner: string; key: string; secretAnswer?: boolean | undefined },
  run: () => Promise<Reply>,
): Promise<void> {
  const claimFor = { owner: p.owner, key: p.key, fingerprint: requestFingerprint(deps.fingerprintKey, req.method, req.originalUrl, req.body) };
  const deadline = Date.now() + deps.workflowWaitMs;
  let claim = await claimKey(deps, claimFor);
  // the first request with this key is still running: wait for its outcome, boundedly
  while (claim.state === 'busy' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    claim = await claimKey(deps, claimFor);
  }
  if (claim.state === 'busy') {
    throw new Problem(409, 'idempotency_key_in_use', 'Request in progress',
      'A request with this Idempotency-Key is still being processed. Retry in a moment to get its outcome.', undefined, { 'Retry-After': '1' });
  }
  if (claim.state === 'mismatch') {
    throw new Problem(422, 'idempotency_key_reused', 'Idempotency-Key reused',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.');
  }
  if (claim.state === 'replay') return send(res, claim.response, true);
  operationKeys.set(req, scopedOperationKey({ owner: p.owner, key: p.key, seed: claim.seed }));
  let response: StoredResponse;
  try {
    response = stored(await run());
  } catch (err) {
    if (err instanceof Problem && storable(err.status)) {
      response = { status: err.status, headers: { ...err.headers, 'content-type': 'application/problem+json' }, body: JSON.stringify(err.toJSON()) };
    } else {
      await releaseKey(deps, claimFor).catch(() => undefined);
      throw err;
    }
  }
  // an answer holding a secret is stored without it: a replay answers the rest, never the secret
  if (storable(response.status)) await completeKey(deps, { ...claimFor, response: p.secretAnswer ? secretNotReplayed(response) : response });
  else await releaseKey(deps, claimFor);
  send(res, response, false);
}
