import type { Actor } from '../contract/vocabulary';
import { revokeSessionsAudited } from '../store/sessions';
import { currentExecution, stepKey, type ActivityDeps } from './deps';

export function sessionActivities(deps: ActivityDeps) {
  return {
    /** Only when the admin asked for it (`revokeSessions: true`): resets never revoke sessions on their own. */
    async revokeUserSessions(input: { tenantId: string; userId: string; actor: Actor }): Promise<{ revoked: number }> {
      const exec = currentExecution();
      const revoked = await revokeSessionsAudited(deps.pool, {
        ...input,
        idempotencyKey: stepKey(exec, 'sessions_revoked'),
        now: deps.clock(),
        ...exec,
      });
      return { revoked };
    },
  };
}
