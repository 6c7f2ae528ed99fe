import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ARGON2_BUCKETS, HTTP_BUCKETS, METRIC, type HttpMetrics, type ServiceMetrics } from './metrics';

/**
 * The API process's metrics (prom-client), served by `GET /metrics`. Each
 * instance has its own registry (tests build one per API), with Node's process
 * metrics (CPU, memory, event-loop lag) beside resetflow's.
 */
export interface ApiMetrics extends ServiceMetrics, HttpMetrics {
  readonly registry: Registry;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(m: { name: string; help: string; labels: readonly L[] }) =>
    new Counter<L>({ name: m.name, help: m.help, labelNames: m.labels, registers: [registry] });
  const histogram = <L extends string>(m: { name: string; help: string; labels: readonly L[] }, buckets: number[]) =>
    new Histogram<L>({ name: m.name, help: m.help, labelNames: m.labels, buckets, registers: [registry] });

  const httpRequests = counter(METRIC.httpRequests);
  const httpDuration = histogram(METRIC.httpDuration, HTTP_BUCKETS);
  const signIns = counter(METRIC.signIns);
  const resetsStarted = counter(METRIC.resetsStarted);
  const rateLimited = counter(METRIC.rateLimited);
  const breachLookups = counter(METRIC.breachLookups);
  const argon2 = histogram(METRIC.argon2, ARGON2_BUCKETS);
  const rehashes = counter(METRIC.passwordRehashes);
  const approvals = counter(METRIC.approvals);
  const reports = counter(METRIC.passwordChangeReports);
  const webhookOldestPending = new Gauge({ name: METRIC.webhookOldestPending.name, help: METRIC.webhookOldestPending.help, registers: [registry] });

  return {
    registry,
    httpRequest(route, method, status, seconds) {
      const labels = { route, method, status: String(status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    signIn: (outcome) => signIns.inc({ outcome }),
    resetStarted: (path, initiator) => resetsStarted.inc({ path, initiator }),
    rateLimited: (limiter) => rateLimited.inc({ limiter }),
    breachLookup: (outcome) => breachLookups.inc({ outcome }),
    observeHash: (operation, seconds) => argon2.observe({ operation }, seconds),
    passwordRehashed: (from) => rehashes.inc({ from }),
    approval: (outcome) => approvals.inc({ outcome }),
    passwordChangeReport: (outcome) => reports.inc({ outcome }),
    webhookOldestPendingAge: (seconds) => webhookOldestPending.set(seconds),
  };
}
