import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import { passwordAppliedUpdate, type ApplyResult } from '../contract/adminPasswords';
import { workflowIds } from '../contract/ids';
import {
  cancelResetUpdate,
  completeResetUpdate,
  deliveryReportedSignal,
  linkIssuedUpdate,
  type CancelResetResult,
  type CompleteResetResult,
  type DeliveryReport,
  type LinkIssuedResult,
  type ResetEmailResult,
} from '../contract/resetEmail';
import { sealContext } from '../contract/sealing';
import { searchAttributes } from '../contract/searchAttributes';
import type { SignInChangeResult } from '../contract/signInChange';
import { forceResetInputSchema, resetEmailInputSchema, signInChangeInputSchema, temporaryPasswordInputSchema } from '../contract/workflowInputs';
import type { Actor, ResetPath } from '../contract/vocabulary';
import type * as workflows from '../workflows';
import type { ServiceDeps } from './deps';
import { DependencyUnavailable } from './failures';

/**
 * The application's only way to change a password: start a workflow, or send
 * one an update, and wait (boundedly) for the answer. Secrets are sealed here,
 * before they reach Temporal; inputs are checked against the workflows' own
 * schemas before they are sent.
 */

type TemporalDeps = Pick<ServiceDeps, 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log'>;

function searchAttrs(tenantId: string, userId: string, path: ResetPath, resetId?: string): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: searchAttributes.tenantId, value: tenantId },
    { key: searchAttributes.userId, value: userId },
    { key: searchAttributes.resetPath, value: path },
  ];
  if (resetId) {
    pairs.push({ key: searchAttributes.resetId, value: resetId }, { key: searchAttributes.resetState, value: 'pending' });
  }
  return pairs;
}

function startOptions(deps: TemporalDeps, workflowId: string, summary: string, attrs: SearchAttributePair[]): Omit<WorkflowStartOptions, 'args'> {
  return { taskQueue: deps.taskQueue, workflowId, typedSearchAttributes: attrs, staticSummary: summary };
}

/** gRPC status codes of a Temporal server that is not there, too slow, or overloaded. */
const UNAVAILABLE_GRPC = new Set([
  1, // CANCELLED: our deadline cancelled the call
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  14, // UNAVAILABLE
]);

/** Temporal did not answer (in time): found in the error's cause chain, not in its message. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && UNAVAILABLE_GRPC.has(e.code)) return true;
    // the connection's own failure to connect (before any call has a status)
    if (/Failed to connect before the deadline|ECONNREFUSED|No connection established/.test(String((e as Error).message))) return true;
    // a Temporal server that cannot read its own database (PostgreSQL going down) answers NOT_FOUND
    // for the namespace it serves (seen by npm run test:chaos); the namespace exists, so: unavailable
    if (/^Namespace .+ is not found\.?$/.test(String((e as Error).message))) return true;
  }
  return false;
}

/**
 * Bound every Temporal call by `workflowWaitMs`: a stopped worker or server is a 503,
 * never a hung request. `mayStillApply`: the call hands Temporal a change that may land
 * after the caller has given up waiting (a start or an update), as opposed to a read.
 */
export async function withTemporal<T>(deps: TemporalDeps, fn: () => Promise<T>, o: { mayStillApply?: boolean } = {}): Promise<T> {
  try {
    return await deps.temporal.connection.withDeadline(Date.now() + deps.workflowWaitMs, fn);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw err;
    if (isTemporalUnavailable(err)) {
      deps.log.warn('temporal did not answer in time', { error: String((err as Error)?.message ?? err) });
      throw new DependencyUnavailable('temporal', o.mayStillApply ?? true, { cause: err });
    }
    throw err;
  }
}

/**
 * How a start treats a workflow id that already exists: a running one is joined (a
 * retried request), and one that has closed is never run again (its outcome stands).
 */
const ONCE = { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' } as const;

/** The outcome of a workflow that ran before under this id (a replayed request after it closed). */
async function closedResult<T>(deps: TemporalDeps, workflowId: string): Promise<T> {
  return withTemporal(deps, () => deps.temporal.workflow.getHandle(workflowId).result() as Promise<T>);
}

export async function startResetEmailWorkflow(
  deps: TemporalDeps,
  p: { tenantId: string; userId: string; resetId: string; expiresAt: string; actor: Actor; revokeSessions: boolean },
): Promise<{ workflowId: string; result: LinkIssuedResult }> {
  const workflowId = workflowIds.resetEmail(p.tenantId, p.resetId);
  const input = resetEmailInputSchema.parse(p);
  const start = new WithStartWorkflowOperation<typeof workflows.passwordResetEmailWorkflow>('passwordResetEmailWorkflow', {
    ...startOptions(deps, workflowId, `Password reset email for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'reset_email', p.resetId)),
    args: [input],
    ...ONCE,
  });
  try {
    const result = await withTemporal(deps, () => deps.temporal.workflow.executeUpdateWithStart(linkIssuedUpdate, { startWorkflowOperation: start }));
    return { workflowId, result };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const ended = await closedResult<ResetEmailResult>(deps, workflowId);
    return { workflowId, result: ended.state === 'not_applicable' ? { issued: false, reason: ended.reason } : { issued: true } };
  }
}

export async function completeResetEmailWorkflow(
  deps: TemporalDeps & Pick<ServiceDeps, 'sealer'>,
  p: { tenantId: string; userId: string; resetId: string; workflowId: string; newPassword: string },
): Promise<CompleteResetResult> {
  const sealedPassword = deps.sealer.seal(p.newPassword, sealContext.newPassword(p.tenantId, p.userId, p.resetId));
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  return withTemporal(deps, () => handle.executeUpdate(completeResetUpdate, { args: [{ sealedPassword }] }));
}

export async function cancelResetEmailWorkflow(deps: TemporalDeps, p: { workflowId: string; actor: Actor }): Promise<CancelResetResult> {
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  return withTemporal(deps, () => handle.executeUpdate(cancelResetUpdate, { args: [{ actor: p.actor }] }));
}

/** Hand a provider's report to the link's workflow; false when the workflow has finished (or never ran). */
export async function signalResetDelivery(deps: TemporalDeps, p: { workflowId: string; report: DeliveryReport }): Promise<boolean> {
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  try {
    await withTemporal(deps, () => handle.signal(deliveryReportedSignal, p.report));
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export async function startTemporaryPasswordWorkflow(
  deps: TemporalDeps & Pick<ServiceDeps, 'sealer'>,
  p: { tenantId: string; userId: string; actor: Actor; password: string; mustResetOnNextSignIn: boolean; notifyUser: boolean; revokeSessions: boolean; operationId?: string | undefined },
): Promise<{ workflowId: string; result: ApplyResult }> {
  const operationId = p.operationId ?? randomUUID();
  const workflowId = workflowIds.temporaryPassword(p.tenantId, p.userId, operationId);
  const input = temporaryPasswordInputSchema.parse({
    tenantId: p.tenantId,
    userId: p.userId,
    operationId,
    sealedPassword: deps.sealer.seal(p.password, sealContext.newPassword(p.tenantId, p.userId, operationId)),
    mustResetOnNextSignIn: p.mustResetOnNextSignIn,
    notifyUser: p.notifyUser,
    revokeSessions: p.revokeSessions,
    actor: p.actor,
  });
  const start = new WithStartWorkflowOperation<typeof workflows.temporaryPasswordWorkflow>('temporaryPasswordWorkflow', {
    ...startOptions(deps, workflowId, `Temporary password for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'temporary_password')),
    args: [input],
    ...ONCE,
  });
  try {
    const result = await withTemporal(deps, () => deps.temporal.workflow.executeUpdateWithStart(passwordAppliedUpdate, { startWorkflowOperation: start }));
    return { workflowId, result };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { workflowId, result: await closedResult<ApplyResult>(deps, workflowId) };
  }
}

export async function runForceResetWorkflow(
  deps: TemporalDeps,
  p: { tenantId: string; userId: string; actor: Actor; revokeSessions: boolean; operationId?: string | undefined },
): Promise<{ workflowId: string; result: ApplyResult }> {
  const operationId = p.operationId ?? randomUUID();
  const workflowId = workflowIds.forceReset(p.tenantId, p.userId, operationId);
  const input = forceResetInputSchema.parse({ tenantId: p.tenantId, userId: p.userId, operationId, revokeSessions: p.revokeSessions, actor: p.actor });
  try {
    const result = await withTemporal(deps, () =>
      deps.temporal.workflow.execute<typeof workflows.forcePasswordResetWorkflow>('forcePasswordResetWorkflow', {
        ...startOptions(deps, workflowId, `Forced password reset for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'force_reset')),
        args: [input],
        ...ONCE,
      }),
    );
    return { workflowId, result };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { workflowId, result: await closedResult<ApplyResult>(deps, workflowId) };
  }
}

/**
 * The change at sign-in, one workflow run per change token at a time: a second
 * submission while the first runs is refused (`already_running`), never joined, so of
 * N concurrent submissions exactly one can set a password and open a session. Once a
 * run has ended, a new one may start (a policy refusal leaves the token usable; a
 * used token is refused by the activity, under lock).
 */
export async function runSignInChangeWorkflow(
  deps: TemporalDeps & Pick<ServiceDeps, 'sealer'>,
  p: { tenantId: string; userId: string; changeTokenId: string; newPassword: string },
): Promise<SignInChangeResult | { ok: false; code: 'already_running' }> {
  const workflowId = workflowIds.signInChange(p.tenantId, p.userId, p.changeTokenId);
  const input = signInChangeInputSchema.parse({
    tenantId: p.tenantId,
    userId: p.userId,
    changeTokenId: p.changeTokenId,
    sealedPassword: deps.sealer.seal(p.newPassword, sealContext.newPassword(p.tenantId, p.userId, p.changeTokenId)),
  });
  try {
    return await withTemporal(deps, () =>
      deps.temporal.workflow.execute<typeof workflows.signInPasswordChangeWorkflow>('signInPasswordChangeWorkflow', {
        ...startOptions(deps, workflowId, `Password change at sign-in for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'sign_in_change')),
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { ok: false, code: 'already_running' };
    throw err;
  }
}
