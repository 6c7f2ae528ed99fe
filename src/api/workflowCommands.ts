import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type WorkflowStartOptions } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import type { Tenant } from '../store/tenants';
import {
  cancelResetUpdate,
  completeResetUpdate,
  linkIssuedUpdate,
  passwordAppliedUpdate,
  sealContext,
  searchAttributes,
  workflowIds,
  type ApplyResult,
  type CancelResetResult,
  type CompleteResetResult,
  type ForceResetInput,
  type LinkIssuedResult,
  type ResetEmailInput,
  type ResetPath,
  type SignInChangeInput,
  type SignInChangeResult,
  type TemporaryPasswordInput,
} from '../workflows/definitions';
import type * as workflows from '../workflows';
import type { ApiDeps } from './deps';
import { problems } from './problems';

/**
 * The API's only way to change anything about passwords: start a workflow, or
 * send one an update, and wait (boundedly) for the answer. Secrets are sealed
 * here, before they reach Temporal.
 */

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

function startOptions(deps: ApiDeps, workflowId: string, summary: string, attrs: SearchAttributePair[]): Omit<WorkflowStartOptions, 'args'> {
  return { taskQueue: deps.taskQueue, workflowId, typedSearchAttributes: attrs, staticSummary: summary };
}

/** Bound every Temporal call by `workflowWaitMs`: a stopped worker or server is a 503, never a hung request. */
export async function withTemporal<T>(deps: ApiDeps, fn: () => Promise<T>): Promise<T> {
  try {
    return await deps.temporal.connection.withDeadline(Date.now() + deps.workflowWaitMs, fn);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw err;
    const text = String((err as Error)?.message ?? err);
    if (/deadline|unavailable|timed? ?out|cancelled|connect|ECONNREFUSED/i.test(text)) {
      deps.log.warn('temporal did not answer in time', { error: text });
      throw problems.unavailable('The reset service is not answering right now. Nothing was lost: try again in a moment.');
    }
    throw err;
  }
}

export async function startResetEmail(
  deps: ApiDeps,
  p: { tenant: Tenant; userId: string; actor: Actor; revokeSessions: boolean; resetId?: string | undefined },
): Promise<{ resetId: string; workflowId: string; expiresAt: string; result: LinkIssuedResult }> {
  const resetId = p.resetId ?? randomUUID();
  const expiresAt = new Date(deps.clock().getTime() + p.tenant.settings.resetLinkTtlSeconds * 1000).toISOString();
  const workflowId = workflowIds.resetEmail(p.tenant.id, resetId);
  const input: ResetEmailInput = { tenantId: p.tenant.id, userId: p.userId, resetId, expiresAt, actor: p.actor, revokeSessions: p.revokeSessions };
  const start = new WithStartWorkflowOperation<typeof workflows.passwordResetEmailWorkflow>('passwordResetEmailWorkflow', {
    ...startOptions(deps, workflowId, `Password reset email for user ${p.userId}`, searchAttrs(p.tenant.id, p.userId, 'reset_email', resetId)),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await withTemporal(deps, () =>
    deps.temporal.workflow.executeUpdateWithStart(linkIssuedUpdate, { startWorkflowOperation: start }),
  );
  return { resetId, workflowId, expiresAt, result };
}

export async function completeResetEmail(
  deps: ApiDeps,
  p: { tenantId: string; userId: string; resetId: string; workflowId: string; newPassword: string },
): Promise<CompleteResetResult> {
  const sealedPassword = deps.sealer.seal(p.newPassword, sealContext.newPassword(p.tenantId, p.userId, p.resetId));
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  return withTemporal(deps, () => handle.executeUpdate(completeResetUpdate, { args: [{ sealedPassword }] }));
}

export async function cancelResetEmail(deps: ApiDeps, p: { workflowId: string; actor: Actor }): Promise<CancelResetResult> {
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  return withTemporal(deps, () => handle.executeUpdate(cancelResetUpdate, { args: [{ actor: p.actor }] }));
}

export async function setTemporaryPassword(
  deps: ApiDeps,
  p: { tenantId: string; userId: string; actor: Actor; password: string; mustResetOnNextSignIn: boolean; notifyUser: boolean; revokeSessions: boolean; operationId?: string | undefined },
): Promise<{ workflowId: string; result: ApplyResult }> {
  const operationId = p.operationId ?? randomUUID();
  const workflowId = workflowIds.temporaryPassword(p.tenantId, p.userId, operationId);
  const input: TemporaryPasswordInput = {
    tenantId: p.tenantId,
    userId: p.userId,
    operationId,
    sealedPassword: deps.sealer.seal(p.password, sealContext.newPassword(p.tenantId, p.userId, operationId)),
    mustResetOnNextSignIn: p.mustResetOnNextSignIn,
    notifyUser: p.notifyUser,
    revokeSessions: p.revokeSessions,
    actor: p.actor,
  };
  const start = new WithStartWorkflowOperation<typeof workflows.temporaryPasswordWorkflow>('temporaryPasswordWorkflow', {
    ...startOptions(deps, workflowId, `Temporary password for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'temporary_password')),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await withTemporal(deps, () =>
    deps.temporal.workflow.executeUpdateWithStart(passwordAppliedUpdate, { startWorkflowOperation: start }),
  );
  return { workflowId, result };
}

export async function forcePasswordReset(
  deps: ApiDeps,
  p: { tenantId: string; userId: string; actor: Actor; revokeSessions: boolean; operationId?: string | undefined },
): Promise<{ workflowId: string; result: ApplyResult }> {
  const operationId = p.operationId ?? randomUUID();
  const workflowId = workflowIds.forceReset(p.tenantId, p.userId, operationId);
  const input: ForceResetInput = { tenantId: p.tenantId, userId: p.userId, operationId, revokeSessions: p.revokeSessions, actor: p.actor };
  const result = await withTemporal(deps, () =>
    deps.temporal.workflow.execute<typeof workflows.forcePasswordResetWorkflow>('forcePasswordResetWorkflow', {
      ...startOptions(deps, workflowId, `Forced password reset for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'force_reset')),
      args: [input],
    }),
  );
  return { workflowId, result };
}

export async function changePasswordAtSignIn(
  deps: ApiDeps,
  p: { tenantId: string; userId: string; changeTokenId: string; newPassword: string },
): Promise<SignInChangeResult> {
  const workflowId = workflowIds.signInChange(p.tenantId, p.userId, p.changeTokenId);
  const input: SignInChangeInput = {
    tenantId: p.tenantId,
    userId: p.userId,
    changeTokenId: p.changeTokenId,
    sealedPassword: deps.sealer.seal(p.newPassword, sealContext.newPassword(p.tenantId, p.userId, p.changeTokenId)),
  };
  return withTemporal(deps, () =>
    deps.temporal.workflow.execute<typeof workflows.signInPasswordChangeWorkflow>('signInPasswordChangeWorkflow', {
      ...startOptions(deps, workflowId, `Password change at sign-in for user ${p.userId}`, searchAttrs(p.tenantId, p.userId, 'sign_in_change')),
      args: [input],
      // a second submission with the same change token while the first runs joins it
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}
