import type { Actor } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import { findAuditEventByKey, insertAuditEvent } from '../store/audit';
import { revokeSessions } from '../store/sessions';
import { currentExecution, stepKey, type ActivityDeps } from './deps';

export function sessionActivities(deps: ActivityDeps) {
  return {
    /** Only when the admin asked for it (`revokeSessions: true`): resets never revoke sessions on their own. */
    async revokeUserSessions(input: { tenantId: string; userId: string; actor: Actor }): Promise<{ revoked: number }> {
      const exec = currentExecution();
      const idempotencyKey = stepKey(exec, 'sessions_revoked');
      const now = deps.clock();
      // revoked and audited in one transaction; the step's key makes a retry report the first count
      const revoked = await inTransaction(deps.pool, async (c) => {
        const done = await findAuditEventByKey(c, idempotencyKey);
        if (done) return done.action === 'user.sessions_revoked' ? done.data.count : 0;
        const count = await revokeSessions(c, { ...input, now });
        // nothing revoked, nothing to audit (a retry then finds nothing to revoke either)
        if (count > 0) {
          await insertAuditEvent(c, {
            idempotencyKey, tenantId: input.tenantId, userId: input.userId, action: 'user.sessions_revoked', actor: input.actor,
            data: { count }, occurredAt: now, ...exec,
          });
        }
        return count;
      });
      return { revoked };
    },
  };
}
