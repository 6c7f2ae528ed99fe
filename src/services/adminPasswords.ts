import type { Actor, PolicyFailure, PolicyViolation } from '../contract/vocabulary';
import type { Tenant } from '../store/tenants';
import type { ServiceDeps } from './deps';
import { notFound, refused, type NotFound, type Refused } from './failures';
import { operationIdFor } from './idempotency';
import { runForceResetWorkflow, startTemporaryPasswordWorkflow } from './temporalCalls';
import { existingUser, passwordUser } from './users';
import { newPasswordFailure, newPasswordViolations } from './newPasswordPolicy';
import { approvalRequired, holdForApproval, type Held } from './approvals';
import type { ApprovalPending } from './failures';

/** Paths 2 and 3: an admin sets a temporary password, or demands a new one at the next sign-in. */

type WorkflowDeps = Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'metrics' | 'clock' | 'sealer'>;
type Applied = { ok: true; workflowId: string };
type NoPassword = NotFound | Refused<'no_password_identity'>;

function noPassword(code: 'no_password_identity' | 'user_not_found'): NoPassword {
  return code === 'no_password_identity' ? refused('no_password_identity') : notFound('The user');
}

export async function setTemporaryPassword(
  deps: WorkflowDeps & Pick<ServiceDeps, 'sealer' | 'breachCheck'>,
  p: {
    tenant: Tenant; userId: string; actor: Actor; password: string;
    mustResetOnNextSignIn: boolean; notifyUser: boolean; revokeSessions: boolean; idempotencyKey?: string | undefined;
  },
): Promise<Applied | Held | ApprovalPending | PolicyFailure | NoPassword> {
  const user = await passwordUser(deps, p.tenant.id, p.userId);
  if (!user.ok) return user;
  // checked at once so the admin sees the error; the activity re-checks it all, reuse included
  const policy = await newPasswordFailure(deps, p.password, p.tenant, user.user);
  if (policy) return policy;
  if (approvalRequired(p.tenant, user.user)) {
    return holdForApproval(deps, {
      tenant: p.tenant, userId: p.userId, action: 'temporary_password', actor: p.actor, revokeSessions: p.revokeSessions, idempotencyKey: p.idempotencyKey,
      password: p.password, mustResetOnNextSignIn: p.mustResetOnNextSignIn, notifyUser: p.notifyUser,
    });
  }
  const { workflowId, result } = await startTemporaryPasswordWorkflow(deps, {
    tenantId: p.tenant.id, userId: p.userId, actor: p.actor, password: p.password,
    mustResetOnNextSignIn: p.mustResetOnNextSignIn, notifyUser: p.notifyUser, revokeSessions: p.revokeSessions,
    operationId: p.idempotencyKey ? operationIdFor(`temporary-password:${p.tenant.id}:${p.userId}`, p.idempotencyKey) : undefined,
  });
  if (result.ok) {
    deps.metrics.resetStarted('temporary_password', p.actor.type);
    return { ok: true, workflowId };
  }
  return result.code === 'password_policy' ? result : noPassword(result.code);
}

export async function forcePasswordReset(
  deps: WorkflowDeps,
  p: { tenant: Tenant; userId: string; actor: Actor; revokeSessions: boolean; idempotencyKey?: string | undefined },
): Promise<Applied | Held | ApprovalPending | PolicyFailure | NoPassword> {
  const user = await passwordUser(deps, p.tenant.id, p.userId);
  if (!user.ok) return user;
  if (approvalRequired(p.tenant, user.user)) {
    return holdForApproval(deps, {
      tenant: p.tenant, userId: p.userId, action: 'force_password_reset', actor: p.actor, revokeSessions: p.revokeSessions, idempotencyKey: p.idempotencyKey,
    });
  }
  const { workflowId, result } = await runForceResetWorkflow(deps, {
    tenantId: p.tenant.id, userId: p.userId, actor: p.actor, revokeSessions: p.revokeSessions,
    operationId: p.idempotencyKey ? operationIdFor(`force-reset:${p.tenant.id}:${p.userId}`, p.idempotencyKey) : undefined,
  });
  if (result.ok) {
    deps.metrics.resetStarted('force_reset', p.actor.type);
    return { ok: true, workflowId };
  }
  return result.code === 'password_policy' ? result : noPassword(result.code);
}

/**
 * A dry run of the tenant's policy for one user (the console checks a temporary
 * password as the admin types it). Reuse of an old password needs the stored
 * hashes (slow on purpose) and is checked when the password is set.
 */
export async function checkPassword(
  deps: Pick<ServiceDeps, 'pool' | 'breachCheck'>,
  p: { tenant: Tenant; userId: string; password: string },
): Promise<{ ok: true; violations: PolicyViolation[]; checkedWhenSet: 'reused'[] } | NotFound> {
  const user = await existingUser(deps, p.tenant.id, p.userId);
  if (!user.ok) return user;
  return {
    ok: true,
    violations: await newPasswordViolations(deps, p.password, p.tenant, user.user),
    checkedWhenSet: p.tenant.settings.passwordPolicy.historyCount > 0 ? ['reused'] : [],
  };
}
