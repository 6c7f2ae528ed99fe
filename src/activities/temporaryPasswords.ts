import { inTransaction } from '../db/pool';
import { TEMPORARY_PASSWORD_EXPIRY_ACTOR } from '../domain/actors';
import { insertAuditEvent } from '../store/audit';
import { lockPasswordSubject } from '../store/users';
import { currentExecution, stepKey, type ActivityDeps } from './deps';

export function temporaryPasswordActivities(deps: ActivityDeps) {
  return {
    /**
     * Path 2's timer fired: audit `user.temporary_password_expired` once, if the
     * temporary password this workflow set is still the user's password (sign-in has
     * refused it since its `password_expires_at`; this records that it lapsed unused).
     * Returns whether it had lapsed (false: a newer password replaced it).
     */
    async expireTemporaryPassword(input: { tenantId: string; userId: string }): Promise<{ expired: boolean }> {
      const exec = currentExecution();
      return inTransaction(deps.pool, async (c) => {
        const subject = await lockPasswordSubject(c, input.tenantId, input.userId);
        const now = deps.clock();
        // the workflow's durable timer says the time has come; the row says whether it is still this password
        if (subject?.temporaryPasswordWorkflowId !== exec.workflowId || subject.passwordExpiresAt === null) return { expired: false };
        await insertAuditEvent(c, {
          idempotencyKey: stepKey(exec, 'temporary_password_expired'),
          tenantId: input.tenantId,
          userId: input.userId,
          action: 'user.temporary_password_expired',
          actor: TEMPORARY_PASSWORD_EXPIRY_ACTOR,
          data: {},
          occurredAt: now,
          ...exec,
        });
        return { expired: true };
      });
    },
  };
}
