import type { Request, Response } from 'express';
import type { HttpDeps } from '../deps';

/**
 * The Referrer-Policy of the end-user pages: no URL (a reset link's token) is ever sent as a referrer, not
 * even to this site (only its origin), and a browser still names this site in the Origin of the page's own
 * form posts (under `no-referrer` it sends `Origin: null`, which a sandboxed frame or a data: URL on any site
 * sends too).
 */
export const PAGE_REFERRER_POLICY = 'strict-origin';

/** An end-user page's answer: never cached (it may carry a token or a user's state), never a referrer with a URL. */
export function noStore(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': PAGE_REFERRER_POLICY });
}

/**
 * A state-changing form post (sign-in, reset, change, sign-out, report) from this site's own pages: browsers
 * say where a request comes from in Sec-Fetch-Site and Origin; `Origin: null` (an opaque origin: a sandboxed
 * frame, a data: URL, a redirect chain) is refused like a foreign site. A client without either header (curl,
 * a server) is no browser a forged form can drive.
 */
export function fromThisSite(deps: Pick<HttpDeps, 'publicUrl'>, req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  return origin === new URL(deps.publicUrl).origin || origin === `${req.protocol}://${req.get('host')}`;
}
