import { randomUUID } from 'node:crypto';
import { REPORT_LINK_TTL_SECONDS, type ReportSkipReason } from '../contract/passwordChangeNotice';
import { sealContext } from '../contract/sealing';
import { inTransaction } from '../db/pool';
import { upsertReportLink, type ReportNotice } from '../store/passwordChangeReports';
import { getTenant } from '../store/tenants';
import { lockPasswordSetAt } from '../store/users';
import { hashToken, newToken } from '../security/tokens';
import { currentExecution, type ActivityDeps } from './deps';

export type ReportLinkIssued =
  | { status: 'issued'; reportId: string; sealedToken: string; expiresAt: string }
  | { status: 'skipped'; reason: ReportSkipReason };

export function passwordChangeReportActivities(deps: ActivityDeps) {
  return {
    /**
     * The "this wasn't me" link a notice carries: one per workflow (a retry gives the same,
     * still unused link a new token: the previous one never left this activity), stored as
     * the token's SHA-256 and bound to the password written at `passwordSetAt`. Nothing is
     * issued when the tenant turned `notifyPasswordChanged` off (for the notice of a chosen
     * password), or when that password is no longer the user's. The raw token leaves sealed.
     */
    async issueReportLink(input: { tenantId: string; userId: string; passwordSetAt: string; notice: ReportNotice }): Promise<ReportLinkIssued> {
      const exec = currentExecution();
      const tenant = await getTenant(deps.pool, input.tenantId);
      if (!tenant) return { status: 'skipped', reason: 'user_not_found' };
      if (input.notice === 'password_changed' && !tenant.settings.notifyPasswordChanged) return { status: 'skipped', reason: 'notices_off' };
      const token = newToken();
      const passwordSetAt = new Date(input.passwordSetAt);
      const r = await inTransaction(deps.pool, async (c): Promise<{ id: string; expiresAt: Date } | ReportSkipReason> => {
        const current = await lockPasswordSetAt(c, input.tenantId, input.userId);
        if (current === undefined) return 'user_not_found';
        if (current === null || current.getTime() !== passwordSetAt.getTime()) return 'password_changed_since';
        const now = deps.clock();
        const { report, stored } = await upsertReportLink(c, {
          id: randomUUID(), tenantId: input.tenantId, userId: input.userId, tokenHash: hashToken(token), passwordSetAt,
          notice: input.notice, workflowId: exec.workflowId, now, expiresAt: new Date(now.getTime() + REPORT_LINK_TTL_SECONDS * 1000),
        });
        return stored ? { id: report.id, expiresAt: report.expiresAt } : 'used';
      });
      if (typeof r === 'string') return { status: 'skipped', reason: r };
      return {
        status: 'issued', reportId: r.id, expiresAt: r.expiresAt.toISOString(),
        sealedToken: deps.sealer.seal(token, sealContext.reportToken(input.tenantId, r.id)),
      };
    },
  };
}
