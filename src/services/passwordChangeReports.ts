import type { Actor } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import { insertAuditEvent } from '../store/audit';
import { invalidateChangeTokens } from '../store/changeTokens';
import { findReportByTokenHash, lockReportByTokenHash, lockReportedPassword, markReportUsed, type PasswordChangeReport } from '../store/passwordChangeReports';
import { endReset, listPendingResetsOfUser } from '../store/resets';
import { revokeSessions } from '../store/sessions';
import { getTenant, type Tenant } from '../store/tenants';
import { currentPasswordSetAt, getPasswordSubject, lockPasswordSetAt, type PasswordSubject } from '../store/users';
import { hashToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { refused, type RateLimited, type Refused } from './failures';
import { consume } from './rateLimits';
import { cancelResetEmailWorkflow } from './temporalCalls';

/**
 * "This wasn't me" (api.md, Password change notices): the link in a "your password was changed"
 * notice (or path 2's notice) lets the user say the change was not theirs. Opening the page
 * consumes nothing; confirming locks the password it reports, exactly once.
 */

export type ReportRefusal = Refused<'invalid_token' | 'link_expired' | 'link_used'>;
export type ReportOutcome = 'password_locked' | ReportRefusal['code'] | 'rate_limited';

/** Where a link stands now, read without changing anything: for the page. */
export async function inspectReportLink(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  token: string,
): Promise<{ ok: true; report: PasswordChangeReport; tenant: Tenant; user: PasswordSubject } | ReportRefusal> {
  if (!token || token.length > 512) return refused('invalid_token');
  const report = await findReportByTokenHash(deps.pool, hashToken(token));
  if (!report) return refused('invalid_token');
  const [tenant, user] = await Promise.all([getTenant(deps.pool, report.tenantId), getPasswordSubject(deps.pool, report.tenantId, report.userId)]);
  if (!tenant || !user) return refused('invalid_token');
  const refusal = refusalOf(report, deps.clock()) ?? (await staleness(deps, report));
  return refusal ?? { ok: true, report, tenant, user };
}

function refusalOf(report: PasswordChangeReport, now: Date): ReportRefusal | undefined {
  if (report.usedAt) return refused('link_used');
  if (report.expiresAt <= now) return refused('link_expired');
  return undefined;
}

/** The password the link reports was changed since (or removed): the link is spent like a used one. */
async function staleness(deps: Pick<ServiceDeps, 'pool'>, report: PasswordChangeReport): Promise<ReportRefusal | undefined> {
  const setAt = await currentPasswordSetAt(deps.pool, report.userId);
  return setAt?.getTime() === report.passwordSetAt.getTime() ? undefined : refused('link_used');
}

/**
 * The user confirms: in one transaction, under the user's and the link's row locks (concurrent
 * confirmations queue there, and a conditional update decides), lock the password identity (only while it
 * is still the password the link reports), spend the link, revoke every session, end open change
 * tokens from sign-in, cancel every pending reset link and audit `user.password_change_reported` { lockedAt } (keyed by the
 * link, so it is written once). The cancelled links' workflows are told afterwards; the
 * database already refuses those links.
 */
export async function reportPasswordChange(
  deps: Pick<ServiceDeps, 'pool' | 'clock' | 'rateLimits' | 'metrics' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log'>,
  p: { token: string; ip: string },
): Promise<{ ok: true; result: 'password_locked'; lockedAt: string } | ReportRefusal | RateLimited> {
  const answer = await attemptReport(deps, p);
  deps.metrics.passwordChangeReport(answer.ok ? 'password_locked' : answer.code);
  return answer;
}

async function attemptReport(
  deps: Pick<ServiceDeps, 'pool' | 'clock' | 'rateLimits' | 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log'>,
  p: { token: string; ip: string },
): Promise<{ ok: true; result: 'password_locked'; lockedAt: string } | ReportRefusal | RateLimited> {
  const limited = await consume(deps.rateLimits.perIp, `report:${p.ip}`);
  if (limited) return limited;
  if (!p.token || p.token.length > 512) return refused('invalid_token');
  const tokenHash = hashToken(p.token);
  const found = await findReportByTokenHash(deps.pool, tokenHash);
  if (!found) return refused('invalid_token');
  const done = await inTransaction(deps.pool, async (c) => {
    // the user's row first, then the link's: the order every password write and link issue takes, so none deadlocks with this
    await lockPasswordSetAt(c, found.tenantId, found.userId);
    const report = await lockReportByTokenHash(c, tokenHash);
    if (!report) return refused('invalid_token');
    const now = deps.clock();
    const refusal = refusalOf(report, now);
    if (refusal) return refusal;
    const lockedAt = await lockReportedPassword(c, { userId: report.userId, passwordSetAt: report.passwordSetAt, now });
    if (!lockedAt) return refused('link_used'); // the password changed since the notice: nothing to lock
    if (!(await markReportUsed(c, report.id, now))) return refused('link_used');
    const actor: Actor = { type: 'user', id: report.userId };
    const key = `password-change-report:${report.id}`;
    const base = { tenantId: report.tenantId, userId: report.userId, actor, occurredAt: now };
    const revoked = await revokeSessions(c, { tenantId: report.tenantId, userId: report.userId, now });
    // a change token from a sign-in with that password (whoever signed in) would set a new password and end the lock: it ends too
    await invalidateChangeTokens(c, { userId: report.userId, now });
    const pending = await listPendingResetsOfUser(c, report.userId);
    for (const r of pending) {
      if (!(await endReset(c, { resetId: r.id, state: 'cancelled', now, endedBy: key }))) continue;
      await insertAuditEvent(c, {
        ...base, idempotencyKey: `${key}:cancelled:${r.id}`, action: 'user.password_reset_email_cancelled',
        data: { resetId: r.id, reason: 'password_change_reported' },
      });
    }
    if (revoked > 0) {
      await insertAuditEvent(c, { ...base, idempotencyKey: `${key}:sessions`, action: 'user.sessions_revoked', data: { count: revoked, reason: 'password_change_reported' } });
    }
    await insertAuditEvent(c, { ...base, idempotencyKey: key, action: 'user.password_change_reported', data: { lockedAt: lockedAt.toISOString() } });
    return { ok: true as const, lockedAt, cancelled: pending, actor };
  });
  if (!done.ok) return done;
  // each cancelled link's workflow ends as the database says (cancelled), without a second audit row; not awaited
  for (const r of done.cancelled) {
    cancelResetEmailWorkflow(deps, { workflowId: r.workflowId, actor: done.actor }).catch((err: unknown) =>
      deps.log.warn('a reset workflow was not told of its cancellation; it ends at its TTL', { workflowId: r.workflowId, error: String(err) }));
  }
  return { ok: true, result: 'password_locked', lockedAt: done.lockedAt.toISOString() };
}
