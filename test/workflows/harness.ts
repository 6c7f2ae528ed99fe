import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import { findTemporalCli } from '../../dev/temporalCli';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/contract/searchAttributes';
import { silentLogger } from '../../src/log';

/**
 * Workflow logic alone, fast: @temporalio/testing's environment on the Temporal
 * CLI binary the project builds (its own in-memory server per test file), the
 * prebuilt workflow bundle, and activities replaced by plain functions that
 * record their calls. Timers are short because the inputs say so (a link that
 * expires in 1.5 s), not because time is skipped: the time-skipping test
 * server is a separate binary that cannot be built here (README, Quick start).
 */
export interface Harness {
  env: TestWorkflowEnvironment;
  /** run `fn` with a worker whose activities are `activities` (a workflow calling another one fails) */
  withWorker<T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>): Promise<T>;
}

export function workflowHarness(): () => Harness {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: await findTemporalCli(silentLogger) },
        extraArgs: ['--log-level', 'error', ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`])],
      },
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });
  return () => ({
    env: env!,
    async withWorker(activities, fn) {
      const taskQueue = `unit-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env!.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: process.env['RESETFLOW_TEST_WORKFLOW_BUNDLE']! },
        activities,
      });
      return worker.runUntil(fn(taskQueue));
    },
  });
}

/** Activity mocks that record each call's input, by activity name. */
export function recorder() {
  const calls: Record<string, unknown[]> = {};
  const record = <A extends unknown[], R>(name: string, fn: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      (calls[name] ??= []).push(args[0]);
      return fn(...args);
    };
  return { calls, record };
}
