import { checkPasswordFor } from '../domain/passwordPolicy';
import { findResetByTokenHash, type ResetRecord } from '../store/resets';
import { getTenant, type Tenant } from '../store/tenants';
import { getPasswordSubject, type PasswordSubject } from '../store/users';
import { hashToken } from '../security/tokens';
import type { ApiDeps } from './deps';
import { Problem, problems } from './problems';
import { consume } from './rateLimits';
import { completeResetEmail } from './workflowCommands';

export const linkProblems = {
  invalid: () => new Problem(400, 'invalid_token', 'Invalid link', 'This reset link is not valid. Check that you copied the whole link, or ask for a new one.'),
  expired: () => new Problem(410, 'link_expired', 'Link expired', 'This reset link has expired. Ask for a new one.'),
  used: () => new Problem(410, 'link_used', 'Link no longer valid', 'This reset link has already been used or was replaced by a newer one. Ask for a new one if you still need it.'),
};

/** Tokens are 43 base64url characters; anything else is not worth a database lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Where a link stands, without consuming it (mail scanners open links too). */
export type LinkStatus = { problem: Problem } | { reset: ResetRecord; tenant: Tenant; user: PasswordSubject };

export async function inspectResetLink(deps: ApiDeps, token: string): Promise<LinkStatus> {
  if (!TOKEN_SHAPE.test(token)) return { problem: linkProblems.invalid() };
  const reset = await findResetByTokenHash(deps.pool, hashToken(token));
  if (!reset) return { problem: linkProblems.invalid() };
  if (reset.state === 'expired' || (reset.state === 'pending' && reset.expiresAt <= deps.clock())) return { problem: linkProblems.expired() };
  if (reset.state !== 'pending') return { problem: linkProblems.used() };
  const [tenant, user] = await Promise.all([getTenant(deps.pool, reset.tenantId), getPasswordSubject(deps.pool, reset.tenantId, reset.userId)]);
  if (!tenant || !user) return { problem: linkProblems.used() };
  return { reset, tenant, user };
}

/**
 * The user chose a new password through a link: checked here at once (policy),
 * then applied by the link's workflow, which re-checks everything under a lock.
 * A policy failure leaves the link usable.
 */
export async function completeWithLink(deps: ApiDeps, ip: string, token: string, newPassword: string): Promise<void> {
  await consume(deps.rateLimits.perIp, `reset:${ip}`);
  const link = await inspectResetLink(deps, token);
  if ('problem' in link) throw link.problem;
  const { reset, tenant, user } = link;
  await consume(deps.rateLimits.perCredential, `reset:${reset.id}`);
  const violations = checkPasswordFor(newPassword, tenant, user);
  if (violations.length > 0) throw problems.passwordPolicy('newPassword', violations);
  const result = await completeResetEmail(deps, { tenantId: tenant.id, userId: user.id, resetId: reset.id, workflowId: reset.workflowId, newPassword });
  if (result.ok) return;
  if (result.code === 'password_policy') throw problems.passwordPolicy('newPassword', result.violations);
  throw result.code === 'link_expired' ? linkProblems.expired() : linkProblems.used();
}
