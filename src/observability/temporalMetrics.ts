import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import { ARGON2_BUCKETS, METRIC, type ActivityMetrics } from './metrics';

/**
 * The worker's own metrics, recorded through the Temporal SDK's metric meter
 * (`Runtime.instance().metricMeter`), so they leave by the same Prometheus
 * exporter as the SDK's `temporal_*` metrics (WORKER_METRICS_ADDRESS): one
 * port, one scrape job. Without an exporter the meter records nothing.
 */
export function createActivityMetrics(meter: MetricMeter = noopMetricMeter): ActivityMetrics {
  const resetsEnded = meter.createCounter(METRIC.resetsEnded.name, undefined, METRIC.resetsEnded.help);
  const linksExpiredUnsent = meter.createCounter(METRIC.linksExpiredUnsent.name, undefined, METRIC.linksExpiredUnsent.help);
  const emails = meter.createCounter(METRIC.emails.name, undefined, METRIC.emails.help);
  const breachLookups = meter.createCounter(METRIC.breachLookups.name, undefined, METRIC.breachLookups.help);
  const importLines = meter.createCounter(METRIC.userImportLines.name, undefined, METRIC.userImportLines.help);
  const rendered = meter.createCounter(METRIC.emailsRendered.name, undefined, METRIC.emailsRendered.help);
  const approvals = meter.createCounter(METRIC.approvals.name, undefined, METRIC.approvals.help);
  const webhookAttempts = meter.createCounter(METRIC.webhookAttempts.name, undefined, METRIC.webhookAttempts.help);
  const argon2 = meter.createHistogram(METRIC.argon2.name, 'float', 's', METRIC.argon2.help);
  return {
    resetEnded: (path, outcome, count = 1) => {
      if (count > 0) resetsEnded.add(count, { path, outcome });
    },
    email: (template, outcome) => emails.add(1, { template, outcome }),
    emailRendered: (template, locale, source) => rendered.add(1, { template, locale, source }),
    linkExpiredUnsent: () => linksExpiredUnsent.add(1),
    breachLookup: (outcome) => breachLookups.add(1, { outcome }),
    userImportLines: (outcome, count) => {
      if (count > 0) importLines.add(count, { outcome });
    },
    observeHash: (operation, seconds) => argon2.record(seconds, { operation }),
    approvalExpired: () => approvals.add(1, { outcome: 'expired' }),
    webhookAttempt: (outcome) => webhookAttempts.add(1, { outcome }),
  };
}

/** Bucket boundaries the Runtime's exporter must use for resetflow's histograms (its defaults suit milliseconds). */
export const WORKER_HISTOGRAM_BUCKETS: Record<string, number[]> = { [METRIC.argon2.name]: ARGON2_BUCKETS };
