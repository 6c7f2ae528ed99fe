import { forceResetInputSchema } from '../contract/workflowInputs';
import { inTransaction } from '../db/pool';
import { checkedInput } from './checkedInput';
import { insertAuditEvent } from '../store/audit';
import { lockPasswordSubject, setChangeRequired } from '../store/users';
import type { ApplyResult, ForceResetInput } from '../contract/adminPasswords';
import { currentExecution, stepKey, type ActivityDeps } from './deps';

export function forcedResetActivities(deps: ActivityDeps) {
  return {
    /** Path 3: the current password keeps working, but the next sign-in demands a new one. */
    async flagPasswordChange(raw: ForceResetInput): Promise<ApplyResult> {
      const input = checkedInput(forceResetInputSchema, raw);
      const exec = currentExecution();
      let flagged = false;
      const result = await inTransaction(deps.pool, async (c): Promise<ApplyResult> => {
        const subject = await lockPasswordSubject(c, input.tenantId, input.userId);
        if (!subject) return { ok: false, code: 'user_not_found' };
        if (!subject.passwordHash) return { ok: false, code: 'no_password_identity' };
        const first = await insertAuditEvent(c, {
          idempotencyKey: stepKey(exec, 'force_password_reset_set'),
          tenantId: input.tenantId,
          userId: input.userId,
          action: 'user.force_password_reset_set',
          actor: input.actor,
          data: { reason: 'admin', ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}) },
          occurredAt: deps.clock(),
          ...exec,
        });
        if (first) {
          await setChangeRequired(c, input.userId, 'admin_forced');
          flagged = true;
        }
        return { ok: true };
      });
      if (flagged) deps.metrics.resetEnded('force_reset', 'completed');
      return result;
    },
  };
}
