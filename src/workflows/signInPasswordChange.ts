import type { SignInChangeInput, SignInChangeResult } from '../contract/signInChange';
import { localDb as db } from './activityOptions';
import { expectInput, is } from './guards';
import { notifyPasswordWritten } from './superseded';
import { startPasswordChangedNotice } from './passwordChangedNotice';

/**
 * The user signed in with a password that must change (temporary, forced or
 * rotated) and chose a new one: stored under the tenant policy like every other
 * password write, through the same activity as a reset-link completion.
 */
export async function signInPasswordChangeWorkflow(rawInput: SignInChangeInput): Promise<SignInChangeResult> {
  const input = expectInput(rawInput, { tenantId: is.tenantId, userId: is.uuid, changeTokenId: is.uuid, sealedPassword: is.sealed });
  const result = await db.applyChosenPassword({
    tenantId: input.tenantId,
    userId: input.userId,
    sealedPassword: input.sealedPassword,
    proof: { kind: 'change_token', changeTokenId: input.changeTokenId },
  });
  if (result.ok) {
    await Promise.all([
      notifyPasswordWritten(result),
      // a tenant with notices off: no notice workflow at all (one less start and task on every change)
      ...(result.notify === false ? [] : [startPasswordChangedNotice({ tenantId: input.tenantId, userId: input.userId, sourceId: input.changeTokenId, setAt: result.setAt })]),
    ]);
    return { ok: true };
  }
  if (result.code === 'password_policy') return result;
  return { ok: false, code: 'invalid_token' };
}
