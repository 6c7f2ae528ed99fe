import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Actor, DeliveryState, ResetState } from '../contract/vocabulary';
import { effectiveResetState } from '../domain/resetLink';
import { findPendingReset, findResetByTokenHash, getReset, listResets as listStoredResets, type ResetKey, type ResetRecord } from '../store/resets';
import type { Page } from '../store/paging';
import { getTenant, type Tenant } from '../store/tenants';
import { canonicalEmail, findPasswordSubjectByEmail, getPasswordSubject, type PasswordSubject } from '../store/users';
import { hashToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { notFound, refused, type NotFound, type RateLimited, type Refused } from './failures';
import { operationIdFor } from './idempotency';
import { consume } from './rateLimits';
import { cancelResetEmailWorkflow, completeResetEmailWorkflow, startResetEmailWorkflow } from './temporalCalls';
import { passwordUser } from './users';
import { newPasswordFailure } from './newPasswordPolicy';
import { approvalRequired, holdForApproval, type Held } from './approvals';
import type { ApprovalPending } from './failures';

/**
 * Path 1, the reset email: an admin (or the user, self-service) asks for a link,
 * the link's workflow mails it and waits; the user opens it and chooses a new
 * password. This service checks what can be checked at once and hands every
 * change to the link's workflow.
 */

type StartDeps = Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'clock' | 'metrics'>;

export interface ResetStarted {
  ok: true;
  resetId: string;
  workflowId: string;
  expiresAt: string;
}

/** Start a link for a user with a password; `idempotencyKey` makes a retried request join the first one's workflow. */
export async function sendResetEmail(
  deps: StartDeps & Pick<ServiceDeps, 'sealer'>,
  p: { tenant: Tenant; userId: string; actor: Actor; revokeSessions: boolean; idempotencyKey?: string | undefined },
): Promise<ResetStarted | Held | ApprovalPending | NotFound | Refused<'no_password_identity'>> {
  const user = await passwordUser(deps, p.tenant.id, p.userId);
  if (!user.ok) return user;
  // an admin's request is held when the tenant's approvals cover the user (self-service links are not: the user asks for their own)
  if (approvalRequired(p.tenant, user.user)) {
    return holdForApproval(deps, { tenant: p.tenant, userId: p.userId, action: 'password_reset_email', actor: p.actor, revokeSessions: p.revokeSessions, idempotencyKey: p.idempotencyKey });
  }
  const resetId = p.idempotencyKey ? operationIdFor(`reset-email:${p.tenant.id}:${p.userId}`, p.idempotencyKey) : randomUUID();
  return startLink(deps, { ...p, resetId });
}

async function startLink(
  deps: StartDeps,
  p: { tenant: Tenant; userId: string; actor: Actor; revokeSessions: boolean; resetId: string },
): Promise<ResetStarted | NotFound | Refused<'no_password_identity'>> {
  const expiresAt = new Date(deps.clock().getTime() + p.tenant.settings.resetLinkTtlSeconds * 1000).toISOString();
  const { workflowId, result } = await startResetEmailWorkflow(deps, {
    tenantId: p.tenant.id, userId: p.userId, resetId: p.resetId, expiresAt, actor: p.actor, revokeSessions: p.revokeSessions,
  });
  if (!result.issued) return result.reason === 'no_password_identity' ? refused('no_password_identity') : notFound('The user');
  deps.metrics.resetStarted('reset_email', p.actor.type);
  // a joined (retried) request answers with the link the first one stored
  const reset = await getReset(deps.pool, p.tenant.id, p.resetId);
  return { ok: true, resetId: p.resetId, workflowId, expiresAt: reset?.expiresAt.toISOString() ?? expiresAt };
}

/**
 * Self-service "forgot password": starts path 1 for a matching user with a
 * password, and answers the same whether or not there is one.
 */
export async function requestResetByEmail(
  deps: StartDeps & Pick<ServiceDeps, 'rateLimits'>,
  p: { tenantId: string; email: string; ip: string },
): Promise<{ ok: true } | RateLimited> {
  const limited = (await consume(deps.rateLimits.perIp, `reset-request:${p.ip}`))
    ?? (await consume(deps.rateLimits.resetRequests, `${p.tenantId}:${await canonicalEmail(deps.pool, p.email)}`));
  if (limited) return limited;
  const [tenant, user] = await Promise.all([getTenant(deps.pool, p.tenantId), findPasswordSubjectByEmail(deps.pool, p.tenantId, p.email)]);
  if (tenant && user?.passwordHash) {
    // Not awaited: the answer takes the same time whether or not a reset starts.
    startLink(deps, { tenant, userId: user.id, actor: { type: 'user', id: user.id }, revokeSessions: false, resetId: randomUUID() }).catch((err) =>
      deps.log.error('self-service reset did not start', { tenantId: tenant.id, userId: user.id, error: String(err) }),
    );
  }
  return { ok: true };
}

/** An admin cancels the user's pending link. */
export async function cancelResetEmail(
  deps: Pick<ServiceDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'clock'>,
  p: { tenantId: string; userId: string; actor: Actor },
): Promise<{ ok: true; resetId: string } | NotFound> {
  const pending = await findPendingReset(deps.pool, p.tenantId, p.userId);
  const none = notFound('A pending reset link for this user');
  if (!pending || effectiveResetState(pending, deps.clock()) !== 'pending') return none;
  try {
    const result = await cancelResetEmailWorkflow(deps, { workflowId: pending.workflowId, actor: p.actor });
    return result.cancelled ? { ok: true, resetId: pending.id } : none;
  } catch (err) {
    // the link ended (and its workflow closed) meanwhile: there is no pending link to cancel
    if (err instanceof WorkflowNotFoundError) return none;
    throw err;
  }
}

/** A link as the admin API shows it: its state as of now. */
export async function readReset(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  tenantId: string,
  resetId: string,
): Promise<{ ok: true; reset: ResetRecord; state: ResetState } | NotFound> {
  const reset = await getReset(deps.pool, tenantId, resetId);
  if (!reset) return notFound('The reset');
  return { ok: true, reset, state: effectiveResetState(reset, deps.clock()) };
}

/**
 * A tenant's resets, newest first, each with its state as of now (a pending link
 * past its expiry is `expired`), filtered by that state, the user and the delivery.
 */
export async function listResets(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  q: { tenantId: string; userId?: string | undefined; state?: ResetState | undefined; delivery?: readonly DeliveryState[] | undefined; limit: number; after?: ResetKey | undefined },
): Promise<Page<{ reset: ResetRecord; state: ResetState }, ResetKey>> {
  const now = deps.clock();
  const page = await listStoredResets(deps.pool, { ...q, now });
  return { items: page.items.map((reset) => ({ reset, state: effectiveResetState(reset, now) })), next: page.next };
}

export type LinkRefusal = Refused<'invalid_token' | 'link_expired' | 'link_used'>;
export type OpenLink = { ok: true; reset: ResetRecord; tenant: Tenant; user: PasswordSubject };

/** Tokens are 43 base64url characters; anything else is not worth a database lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Where a link stands, without consuming it (mail scanners open links too). */
export async function inspectResetLink(deps: Pick<ServiceDeps, 'pool' | 'clock'>, token: string): Promise<OpenLink | LinkRefusal> {
  if (!TOKEN_SHAPE.test(token)) return refused('invalid_token');
  const reset = await findResetByTokenHash(deps.pool, hashToken(token));
  if (!reset) return refused('invalid_token');
  const refusal = linkRefusal(effectiveResetState(reset, deps.clock()));
  if (refusal) return refusal;
  const [tenant, user] = await Promise.all([getTenant(deps.pool, reset.tenantId), getPasswordSubject(deps.pool, reset.tenantId, reset.userId)]);
  if (!tenant || !user) return refused('link_used');
  return { ok: true, reset, tenant, user };
}

function linkRefusal(state: ResetState): LinkRefusal | undefined {
  if (state === 'expired') return refused('link_expired');
  return state === 'pending' ? undefined : refused('link_used');
}

/**
 * The user chose a new password through a link: checked here at once (policy),
 * then applied by the link's workflow, which re-checks everything under a lock.
 * A policy failure leaves the link usable.
 */
export async function completeWithLink(
  deps: Pick<ServiceDeps, 'pool' | 'clock' | 'rateLimits' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'sealer' | 'breachCheck'>,
  p: { ip: string; token: string; newPassword: string },
) {
  const limited = await consume(deps.rateLimits.perIp, `reset:${p.ip}`);
  if (limited) return limited;
  const link = await inspectResetLink(deps, p.token);
  if (!link.ok) return link;
  const { reset, tenant, user } = link;
  const spent = await consume(deps.rateLimits.perCredential, `reset:${reset.id}`);
  if (spent) return spent;
  const policy = await newPasswordFailure(deps, p.newPassword, tenant, user);
  if (policy) return policy;
  let result;
  try {
    result = await completeResetEmailWorkflow(deps, { tenantId: tenant.id, userId: user.id, resetId: reset.id, workflowId: reset.workflowId, newPassword: p.newPassword });
  } catch (err) {
    // the link's workflow closed (another submission won, or it expired) while this one was on its way: a lost race
    if (err instanceof WorkflowNotFoundError) return linkRefusal(await stateNow(deps, reset)) ?? refused('link_used');
    throw err;
  }
  if (result.ok || result.code === 'password_policy') return result;
  return refused(result.code);
}

async function stateNow(deps: Pick<ServiceDeps, 'pool' | 'clock'>, reset: ResetRecord): Promise<ResetState> {
  const fresh = await getReset(deps.pool, reset.tenantId, reset.id);
  return fresh ? effectiveResetState(fresh, deps.clock()) : 'cancelled';
}

