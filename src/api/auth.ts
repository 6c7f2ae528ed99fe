import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { authenticateAdminKey, type AdminPrincipal } from '../services/apiKeys';
import { mailWebhookCredentialsMatch } from '../services/mailEvents';
import { lookUpSession } from '../services/sessions';
import type { SessionPrincipal } from '../services/sessions';
import type { HttpDeps } from './deps';
import { Problem, problems, sendProblem } from './problems';

export type { AdminPrincipal };

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The admin of the request's key, and how to record the key's use (once the request is found well-formed). */
export async function authenticateAdmin(req: Request, deps: HttpDeps): Promise<{ admin: AdminPrincipal; recordUse: () => Promise<void> }> {
  const key = bearer(req);
  if (!key) throw problems.unauthenticated();
  const found = await authenticateAdminKey(deps, key);
  if (!found) throw problems.unauthenticated('The key is not valid.');
  const { markUsed, ...admin } = found;
  return { admin, recordUse: markUsed };
}

/** The session of the request's token, and how to record that it was seen. */
export async function authenticateSession(req: Request, deps: HttpDeps): Promise<{ session: SessionPrincipal; recordUse: () => Promise<void> }> {
  const token = bearer(req);
  if (!token) throw problems.unauthenticated('Send the session token as "Authorization: Bearer <token>".');
  const found = await lookUpSession(deps, token);
  if (!found) throw problems.unauthenticated('The session is not valid or has ended.');
  return { session: found.session, recordUse: found.markSeen };
}

/** `Authorization: Basic base64(user:password)`, as Postmark sends the credentials of a webhook URL. */
export function basicCredentials(req: Request): { user: string; password: string } | undefined {
  const match = req.get('authorization')?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The mail provider's webhook credentials (POSTMARK_WEBHOOK_USER / _PASSWORD), or a 401. */
export function authenticateMailWebhook(req: Request, deps: HttpDeps): void {
  const credentials = basicCredentials(req);
  if (!credentials || !mailWebhookCredentialsMatch(deps, credentials.user, credentials.password)) throw problems.webhookUnauthenticated();
}

/** The same check as middleware, ahead of the body parser: without the credentials, nothing of the body is read. */
export function mailWebhookAuth(deps: HttpDeps): RequestHandler {
  return (req, res, next) => {
    try {
      authenticateMailWebhook(req, deps);
      next();
    } catch (err) {
      if (err instanceof Problem) sendProblem(res, err);
      else next(err);
    }
  };
}

/** The socket's own peer (never X-Forwarded-For, whatever TRUST_PROXY says). */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /metrics: with METRICS_TOKEN set, that token as a bearer token (compared in
 * constant time); without it, only a request whose TCP peer is this machine.
 */
export function authorizeMetrics(req: Request, deps: Pick<HttpDeps, 'metricsToken'>): void {
  if (deps.metricsToken !== undefined) {
    const given = bearer(req);
    if (given === undefined || !sameSecret(given, deps.metricsToken)) {
      throw problems.unauthenticated('Send METRICS_TOKEN as "Authorization: Bearer <token>".');
    }
    return;
  }
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    throw new Problem(403, 'forbidden', 'Forbidden', 'Metrics are served to localhost only; set METRICS_TOKEN to scrape from elsewhere.');
  }
}

/** Host names that can only mean this machine (a DNS name an attacker controls can point anywhere). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A request from this machine, addressed to this machine: its TCP peer is loopback (never judged by
 * X-Forwarded-For) and its Host header names loopback, so neither a neighbour on the network nor a web page
 * rebinding its own DNS name to 127.0.0.1 passes.
 */
export function isLocalRequest(req: Request): boolean {
  const host = (req.get('host') ?? '').toLowerCase().replace(/:\d+$/, '');
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOSTS.has(host);
}

/** Equal, in time that depends on neither value (both hashed to the same length first). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
