/**
 * The no-op floors: workflows whose activities do nothing. `noopWorkflow` is the
 * plain one (one activity); the `shape…` workflows have the Temporal shape of one
 * path each (the same starts, updates, activities, local activities and timers, in
 * the same order), so what they cost is what Temporal costs that path on this
 * machine, and whatever the path costs beyond it and argon2id is resetflow's.
 */
import { allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from '../../src/contract/searchAttributes';
import { completeUpdate, firstStepUpdate } from './shapeUpdates';

export interface NoopActivities {
  noop(): Promise<void>;
}

const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });

export async function noopWorkflow(): Promise<void> {
  await noop();
}

/** the lapse timer of a temporary password (the default TTL, 7 days): the workflow stays open */
const LAPSE_MS = 7 * 24 * 3600 * 1000;

/**
 * Path 2's shape: update-with-start answered after the first activity (the password
 * write), then the notice activity, then a timer until the password lapses.
 */
export async function shapeTemporaryPassword(): Promise<void> {
  let done = false;
  setHandler(firstStepUpdate, async () => {
    await condition(() => done);
    return { ok: true as const };
  });
  await noop();
  done = true;
  await noop();
  await condition(() => false, LAPSE_MS);
  await condition(allHandlersFinished);
}

/**
 * Path 1's shape: update-with-start answered after the first activity (the link
 * stored), then the send and its record, then a wait for the completion update,
 * whose handler runs one activity (the password write), then the end with the final
 * state upserted as a search attribute (the Web UI's filter).
 */
export async function shapeResetEmail(): Promise<void> {
  let issued = false;
  let completed = false;
  setHandler(firstStepUpdate, async () => {
    await condition(() => issued);
    return { ok: true as const };
  });
  setHandler(completeUpdate, async () => {
    await noop();
    completed = true;
    return { ok: true as const };
  });
  await noop();
  issued = true;
  await noop();
  await noop();
  await condition(() => completed, '1 day');
  await condition(allHandlersFinished);
  upsertSearchAttributes([{ key: searchAttributes.resetState, value: 'completed' }]);
}

/** Path 3's shape: one local activity (the flag and its audit row in one transaction). */
export async function shapeForceReset(): Promise<void> {
  await local.noop();
}
