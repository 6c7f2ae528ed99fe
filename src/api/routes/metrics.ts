import { refreshWebhookGauges } from '../../services/webhooks';
import { metricsRoute, type RouteDef } from '../route';

/** Prometheus scrapes the API here (docs/observability.md). The worker has its own exporter (WORKER_METRICS_ADDRESS). */
export const metricsRoutes: RouteDef[] = [
  metricsRoute(
    {
      method: 'get', path: '/metrics', operationId: 'getMetrics', tag: 'Operations',
      summary: 'Prometheus metrics of this API process (text exposition format)',
      responses: { 200: { description: 'The metrics', contentType: 'text/plain; version=0.0.4' } },
      problems: [403],
    },
    async ({ deps }) => {
      // gauges read from PostgreSQL at scrape time (a database that is down leaves them at their last value)
      await refreshWebhookGauges(deps).catch(() => undefined);
      return { status: 200, body: await deps.metrics.registry.metrics(), contentType: deps.metrics.registry.contentType };
    },
  ),
];
