import fs from 'node:fs';
import { NativeConnection, Worker, type WorkerInterceptors } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TRACED_WORKFLOW_BUNDLE_PATH, WORKFLOW_BUNDLE_PATH } from '../paths';
import { permanentFailures } from './permanentFailures';
import { workerTracing } from './tracing';

export interface ResetflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxConcurrentActivities: number;
  /** evicted workflows replay from history when they next have work; undefined: the SDK's default */
  maxCachedWorkflows?: number | undefined;
  /**
   * a prebuilt workflow bundle; defaults to dist/workflow-bundle.js (dist/workflow-bundle-traced.js when this
   * process traces) when present, else bundles src/workflows at start
   */
  workflowBundlePath?: string | undefined;
  interceptors?: WorkerInterceptors;
}

export async function createResetflowWorker(o: ResetflowWorkerOptions): Promise<Worker> {
  const tracing = workerTracing();
  const prebuilt = tracing ? TRACED_WORKFLOW_BUNDLE_PATH : WORKFLOW_BUNDLE_PATH;
  const bundlePath = o.workflowBundlePath ?? (fs.existsSync(prebuilt) ? prebuilt : undefined);
  const interceptors: WorkerInterceptors = {
    // the span first, so it covers everything the activity does
    activity: [...(tracing?.interceptors.activity ?? []), permanentFailures, ...(o.interceptors?.activity ?? [])],
    activityInbound: o.interceptors?.activityInbound ?? [],
    // a prebuilt bundle has its workflow interceptors built in
    workflowModules: bundlePath ? [] : [...(tracing?.interceptors.workflowModules ?? []), ...(o.interceptors?.workflowModules ?? [])],
  };
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(o.deps),
    maxConcurrentActivityTaskExecutions: o.maxConcurrentActivities,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    interceptors,
    ...(tracing ? { sinks: tracing.sinks } : {}),
  });
}
