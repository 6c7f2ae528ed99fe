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
import { workflowIds } from '../contract/workflowIds';
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
import { approvalDecidedSignal, approvalOpenedUpdate, approvalSettledUpdate, type ApprovalOpened, type ApprovalSettled } from '../contract/approvals';
import type { ApprovalAction } from '../contract/audit';
import { searchAttributes } from '../contract/searchAttributes';
import type { SignInChangeResult } from '../contract/signInChange';
import { approvalInputSchema, forceResetInputSchema, resetEmailInputSchema, signInChangeInputSchema, temporaryPasswordInputSchema } from '../contract/workflowInputs';
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

/** The options of a workflow started once (ONCE) under `workflowId`. */
function onceOptions<const A extends readonly unknown[]>(deps: TemporalDeps, workflowId: string, summary: string, attrs: SearchAttributePair[], args: A) {
  return { ...startOptions(deps, workflowId, summary, attrs), args, ...ONCE };
}

/**
 * Start once, or read the closed workflow's result: `start` starts the workflow under
 * `workflowId` (ONCE: a running one is joined) and waits for its answer; when a run under
 * that id has already closed (a request replayed after it ended), its outcome stands, read
 * from the closed run and turned into the same answer by `fromClosed`.
 */
async function startOnce<T, Closed = T>(
  deps: TemporalDeps,
  workflowId: string,
  start: () => Promise<T>,
  fromClosed: (closed: Closed) => T,
): Promise<{ workflowId: string; result: T }> {
  try {
    return { workflowId, result: await withTemporal(deps, start) };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const closed = await withTemporal(deps, () => deps.temporal.workflow.getHandle(workflowId).result() as Promise<Closed>);
    return { workflowId, result: fromClosed(closed) };
  }
}

const asItIs = <T>(result: T): T => result;

export async function startResetEmailWorkflow(
  deps: TemporalDeps,
  p: { tenantId: string; userId: string; resetId: string; expiresAt: string; actor: Actor; revokeSessions: boolean },
): Promise<{ workflowId: string; result: LinkIssuedResult }> {
  const workflowId = workflowIds.resetEmail(p.tenantId, p.resetId);
  const input = resetEmailInputSchema.parse(p);
  const start = new WithStartWorkflowOperation<typeof workflows.passwordResetEmailWorkflow>(
    'passwordResetEmailWorkflow',
    onceOptions(deps, workflowId, `Password reset email for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'reset_email', p.resetId), [input]),
  );
  return startOnce(
    deps,
    workflowId,
    () => deps.temporal.workflow.executeUpdateWithStart(linkIssuedUpdate, { startWorkflowOperation: start }),
    (ended: ResetEmailResult): LinkIssuedResult => (ended.state === 'not_applicable' ? { issued: false, reason: ended.reason } : { issued: true }),
  );
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
  const start = new WithStartWorkflowOperation<typeof workflows.temporaryPasswordWorkflow>(
    'temporaryPasswordWorkflow',
    onceOptions(deps, workflowId, `Temporary password for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'temporary_password'), [input]),
  );
  return startOnce(deps, workflowId, () => deps.temporal.workflow.executeUpdateWithStart(passwordAppliedUpdate, { startWorkflowOperation: start }), asItIs<ApplyResult>);
}

export async function runForceResetWorkflow(
  deps: TemporalDeps,
  p: { tenantId: string; userId: string; actor: Actor; revokeSessions: boolean; operationId?: string | undefined },
): Promise<{ workflowId: string; result: ApplyResult }> {
  const operationId = p.operationId ?? randomUUID();
  const workflowId = workflowIds.forceReset(p.tenantId, p.userId, operationId);
  const input = forceResetInputSchema.parse({ tenantId: p.tenantId, userId: p.userId, operationId, revokeSessions: p.revokeSessions, actor: p.actor });
  const options = onceOptions(deps, workflowId, `Forced password reset for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'force_reset'), [input]);
  return startOnce(deps, workflowId, () => deps.temporal.workflow.execute<typeof workflows.forcePasswordResetWorkflow>('forcePasswordResetWorkflow', options), asItIs<ApplyResult>);
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

// ---------------------------------------------------------------- approvals (a second admin)

/** Hold a reset for a second admin: start its approval workflow (once per approval id) and wait until the approval is stored or refused. */
export async function startApprovalWorkflow(
  deps: TemporalDeps & Pick<ServiceDeps, 'sealer'>,
  p: {
    tenantId: string; userId: string; approvalId: string; action: ApprovalAction; requestedBy: Actor; expiresAt: string; revokeSessions: boolean;
    password?: string | undefined; mustResetOnNextSignIn?: boolean | undefined; notifyUser?: boolean | undefined;
  },
): Promise<{ workflowId: string; result: ApprovalOpened }> {
  const workflowId = workflowIds.approval(p.tenantId, p.approvalId);
  const input = approvalInputSchema.parse({
    tenantId: p.tenantId, userId: p.userId, approvalId: p.approvalId, action: p.action, requestedBy: p.requestedBy, expiresAt: p.expiresAt,
    revokeSessions: p.revokeSessions,
    // sealed for the operation the approved path will run under (its operation id is the approval's id)
    ...(p.password !== undefined ? { sealedPassword: deps.sealer.seal(p.password, sealContext.newPassword(p.tenantId, p.userId, p.approvalId)) } : {}),
    ...(p.mustResetOnNextSignIn !== undefined ? { mustResetOnNextSignIn: p.mustResetOnNextSignIn } : {}),
    ...(p.notifyUser !== undefined ? { notifyUser: p.notifyUser } : {}),
  });
  const path: ResetPath = p.action === 'password_reset_email' ? 'reset_email' : p.action === 'temporary_password' ? 'temporary_password' : 'force_reset';
  const attrs: SearchAttributePair[] = [
    ...searchAttrs(p.tenantId, p.userId, path),
    { key: searchAttributes.approvalId, value: p.approvalId },
    { key: searchAttributes.approvalState, value: 'pending' },
  ];
  const start = new WithStartWorkflowOperation<typeof workflows.approvalWorkflow>(
    'approvalWorkflow',
    onceOptions(deps, workflowId, `Approval of ${p.action} for user ${p.userId}`, attrs, [input]),
  );
  return startOnce(
    deps,
    workflowId,
    () => deps.temporal.workflow.executeUpdateWithStart(approvalOpenedUpdate, { startWorkflowOperation: start }),
    (ended: ApprovalSettled): ApprovalOpened => (ended.state === 'not_opened' ? { opened: false, code: 'approval_pending', approvalId: p.approvalId } : { opened: true, expiresAt: p.expiresAt }),
  );
}

/**
 * Tell an approval's workflow that its row was decided, and wait until it has applied
 * the held action (approved) or ended. Undefined when the workflow has already closed.
 */
export async function settleApprovalWorkflow(deps: TemporalDeps, p: { workflowId: string }): Promise<ApprovalSettled | undefined> {
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  try {
    await withTemporal(deps, () => handle.signal(approvalDecidedSignal));
    return await withTemporal(deps, () => handle.executeUpdate(approvalSettledUpdate));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err instanceof WorkflowUpdateFailedError && /completed|not found/i.test(String(err.cause?.message ?? err.message)))) return undefined;
    throw err;
  }
}

/** Wait for an approved action's own answer: its password stored (path 2) or its link issued (path 1). */
export async function awaitAppliedAction(deps: TemporalDeps, p: { action: ApprovalAction; workflowId: string }): Promise<ApplyResult | LinkIssuedResult | undefined> {
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  try {
    if (p.action === 'temporary_password') return await withTemporal(deps, () => handle.executeUpdate(passwordAppliedUpdate));
    if (p.action === 'password_reset_email') return await withTemporal(deps, () => handle.executeUpdate(linkIssuedUpdate));
    return await withTemporal(deps, () => handle.result() as Promise<ApplyResult>);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError) return undefined;
    throw err;
  }
}
