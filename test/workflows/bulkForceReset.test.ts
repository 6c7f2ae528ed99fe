import { randomUUID } from 'node:crypto';
import { bulkProgressQuery, type BulkResetInput } from '../../src/contract/bulkReset';
import { recorder, workflowHarness } from './harness';

const harness = workflowHarness();

test('a bulk run continues as new every few activities and carries its progress across', async () => {
  const { calls, record } = recorder();
  let chunk = 0;
  const operationId = randomUUID();
  const i: BulkResetInput = {
    tenantId: 'unit-test', kind: 'bulk_force_reset', operationId, revokeSessions: false, actor: { type: 'admin', id: 'platform' },
    tuning: { batchSize: 10, batchesPerActivity: 1, activitiesPerRun: 2 },
  };
  const progress = await harness().withWorker({
    registerBulkOperation: record('registerBulkOperation', async () => undefined),
    // five chunks of 10 users, the last one short: 45 users, 3 of them already flagged
    flagUsersChunk: record('flagUsersChunk', async () => {
      chunk += 1;
      const last = chunk === 5;
      return { matched: last ? 5 : 10, done: last ? 2 : 10, skipped: last ? 3 : 0, afterUserId: randomUUID(), finished: last };
    }),
    countBulkOperation: record('countBulkOperation', async () => ({ matched: 0, done: 0, skipped: 0 })),
  }, async (taskQueue) => {
    const handle = await harness().env.client.workflow.start('bulkForceResetWorkflow', { taskQueue, workflowId: `unit/${operationId}`, args: [i] });
    const result = await handle.result();
    const runs = [];
    for await (const run of harness().env.client.workflow.list({ query: `WorkflowId = "unit/${operationId}"` })) runs.push(run.runId);
    return { result, runs: runs.length, query: await handle.query(bulkProgressQuery).catch(() => undefined) };
  });
  expect(progress.result).toMatchObject({ operationId, state: 'completed', matched: 45, done: 42, skipped: 3 });
  expect(progress.runs).toBe(3); // 2 + 2 + 1 activities
  expect(calls['registerBulkOperation']).toHaveLength(1);
  expect(calls['flagUsersChunk']).toHaveLength(5);
});
