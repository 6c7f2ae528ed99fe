import { metricsRoute, type RouteDef } from '../route';

/** Prometheus scrapes the API here (README, Observability). The worker has its own exporter (WORKER_METRICS_ADDRESS). */
export const metricsRoutes: RouteDef[] = [
  metricsRoute(
    {
      method: 'get', path: '/metrics', operationId: 'getMetrics', tag: 'Operations',
      summary: 'Prometheus metrics of this API process (text exposition format)',
      responses: { 200: { description: 'The metrics', contentType: 'text/plain; version=0.0.4' } },
      problems: [403],
    },
    async ({ deps }) => ({ status: 200, body: await deps.metrics.registry.metrics(), contentType: deps.metrics.registry.contentType }),
  ),
];
