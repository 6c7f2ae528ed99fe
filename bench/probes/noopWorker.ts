/**
 * A worker process with nothing to do but the no-op workflow: what Temporal costs
 * on this machine, with no database, hashing or mail. Started by the bench as
 * `node dist/bench/probes/noopWorker.js` with TEMPORAL_ADDRESS, BENCH_TASK_QUEUE
 * and BENCH_WORKFLOW_BUNDLE (a prebuilt bundle of noopWorkflows).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { NoopActivities } from './noopWorkflows';

async function main(): Promise<void> {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const activities: NoopActivities = { noop: async () => undefined };
  const worker = await Worker.create({
    connection,
    taskQueue: env('BENCH_TASK_QUEUE'),
    workflowBundle: { codePath: env('BENCH_WORKFLOW_BUNDLE') },
    activities,
  });
  console.log('noop worker polling');
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
