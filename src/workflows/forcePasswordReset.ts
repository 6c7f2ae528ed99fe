import type { ApplyResult, ForceResetInput } from '../contract/adminPasswords';
import { localDb as db } from './activityOptions';
import { actor, expectInput, is } from './guards';

/** Path 3: keep the current password valid, but demand a new one at the next successful sign-in. */
export async function forcePasswordResetWorkflow(rawInput: ForceResetInput): Promise<ApplyResult> {
  const input = expectInput(rawInput, { tenantId: is.tenantId, userId: is.uuid, operationId: is.uuid, revokeSessions: is.boolean, actor, approvedBy: is.optional(actor) });
  const result = await db.flagPasswordChange(input);
  if (result.ok && input.revokeSessions) {
    await db.revokeUserSessions({ tenantId: input.tenantId, userId: input.userId, actor: input.actor });
  }
  return result;
}
