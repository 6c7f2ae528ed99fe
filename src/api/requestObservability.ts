import type { Request, RequestHandler, Response } from 'express';
import type { HttpMetrics } from '../observability/metrics';
import { secondsSince } from '../observability/metrics';
import { activeSpan, nameServerSpan } from '../observability/tracing';

/**
 * Every request's metrics (`resetflow_http_requests_total`, `…_duration_seconds`)
 * and, when tracing, its server span's name: both by route *template*
 * (`/admin/tenants/{tenantId}/users/{userId}`), never the concrete URL, which
 * holds ids and, on /reset-password, a token.
 */
export function observeRequests(metrics: HttpMetrics): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    let route: string | undefined;
    const template = () => (route ??= routeTemplate(req, res));
    const span = activeSpan();
    if (span) {
      // the http instrumentation ends the span inside res.end: name it just before
      const end = res.end;
      res.end = function (this: Response, ...args: unknown[]) {
        nameServerSpan(span, req.method, template());
        return (end as (...a: unknown[]) => Response).apply(this, args);
      } as Response['end'];
    }
    res.once('finish', () => metrics.httpRequest(template(), req.method, res.statusCode, secondsSince(start)));
    next();
  };
}

/** Called by the route table's handlers (src/api/route.ts): the template the request matched. */
export function nameRoute(res: Response, template: string): void {
  res.locals['routeTemplate'] = template;
}

/** The route table's template; else the Express route that matched (the pages), in the same syntax; else `other` (static files, 404s). */
function routeTemplate(req: Request, res: Response): string {
  const declared = res.locals['routeTemplate'];
  if (typeof declared === 'string') return declared;
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`.replace(/:(\w+)/g, '{$1}');
  return 'other';
}
