/**
 * Build-time workflow bundles (npm run build): the worker starts without running webpack.
 * Two of them: the plain one, and one with the OpenTelemetry workflow interceptors for a
 * worker that traces (OTEL_EXPORTER_OTLP_ENDPOINT set), so a worker that does not pays nothing.
 */
import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACED_WORKFLOW_BUNDLE_PATH, WORKFLOW_BUNDLE_PATH } from '../src/paths';
import { WORKFLOW_TRACING_MODULE } from '../src/temporal/tracing';

const logger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };

async function main(): Promise<void> {
  const workflowsPath = require.resolve('../src/workflows');
  const [plain, traced] = [
    await bundleWorkflowCode({ workflowsPath, logger }),
    await bundleWorkflowCode({ workflowsPath, logger, workflowInterceptorModules: [WORKFLOW_TRACING_MODULE] }),
  ];
  fs.writeFileSync(WORKFLOW_BUNDLE_PATH, plain.code);
  fs.writeFileSync(TRACED_WORKFLOW_BUNDLE_PATH, traced.code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
