import type { Request, Response } from 'express';
import { claimKey, completeKey, releaseKey, requestFingerprint, type StoredResponse } from '../services/idempotency';
import type { HttpDeps } from './deps';
import { Problem, problems } from './problems';

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
  p: { owner: string; key: string },
  run: () => Promise<Reply>,
): Promise<void> {
  const claimFor = { ...p, fingerprint: requestFingerprint(req.method, req.originalUrl, req.body) };
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
  let response: StoredResponse;
  try {
    response = stored(await run());
  } catch (err) {
    if (err instanceof Problem && storable(err.status)) {
      response = { status: err.status, headers: { ...err.headers, 'content-type': 'application/problem+json' }, body: JSON.stringify(err.toJSON()) };
    } else {
      await releaseKey(deps, p).catch(() => undefined);
      throw err;
    }
  }
  if (storable(response.status)) await completeKey(deps, { ...p, response });
  else await releaseKey(deps, p);
  send(res, response, false);
}
