import fs from 'node:fs';
import { NativeConnection, Worker, type WorkerInterceptors } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { WORKFLOW_BUNDLE_PATH } from '../paths';
import { permanentFailures } from './permanentFailures';

export interface ResetflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxConcurrentActivities: number;
  /** evicted workflows replay from history when they next have work; undefined: the SDK's default */
  maxCachedWorkflows?: number | undefined;
  /** a prebuilt workflow bundle; defaults to dist/workflow-bundle.js when present, else bundles src/workflows at start */
  workflowBundlePath?: string | undefined;
  interceptors?: WorkerInterceptors;
}

export async function createResetflowWorker(o: ResetflowWorkerOptions): Promise<Worker> {
  const bundlePath = o.workflowBundlePath ?? (fs.existsSync(WORKFLOW_BUNDLE_PATH) ? WORKFLOW_BUNDLE_PATH : undefined);
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(o.deps),
    maxConcurrentActivityTaskExecutions: o.maxConcurrentActivities,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    interceptors: { ...o.interceptors, activity: [permanentFailures, ...(o.interceptors?.activity ?? [])] },
  });
}
