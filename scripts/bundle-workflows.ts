/** Build-time workflow bundle (npm run build): the worker starts without running webpack. */
import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH } from '../src/paths';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
  });
  fs.writeFileSync(WORKFLOW_BUNDLE_PATH, code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
