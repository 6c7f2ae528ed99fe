import { Runtime } from '@temporalio/worker';
import { WORKER_HISTOGRAM_BUCKETS } from '../observability/temporalMetrics';

/**
 * The worker's Temporal Runtime, installed before any connection. With
 * WORKER_METRICS_ADDRESS it serves Prometheus metrics on `http://<address>/metrics`:
 * the SDK's own (`temporal_*`: task slots, poll and schedule-to-start latencies,
 * activity and workflow task failures, …) and resetflow's activity outcomes,
 * recorded through the same Runtime's meter (src/observability/temporalMetrics.ts).
 */
export function installWorkerRuntime(o: { metricsAddress: string | undefined }): Runtime {
  if (o.metricsAddress) {
    Runtime.install({
      telemetryOptions: {
        metrics: { prometheus: { bindAddress: o.metricsAddress, histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS } },
      },
    });
  }
  return Runtime.instance();
}
