import { allHandlersFinished, condition, log, setHandler } from '@temporalio/workflow';
import { passwordAppliedUpdate, temporaryPasswordInputSchema, type ApplyResult, type TemporaryPasswordInput } from '../contract/adminPasswords';
import { db, mailWithin } from './activityOptions';
import { parseInput } from './parseInput';
import { notifySuperseded } from './superseded';

const NOTICE_RETRY_WINDOW_MS = 24 * 3600 * 1000;

/**
 * Path 2: an admin sets a password (temporary by default: the user must change it
 * at the next sign-in), optionally revokes sessions and emails the user a notice
 * that never contains the password. The API waits on `passwordApplied`, which
 * answers as soon as the password is stored.
 */
export async function temporaryPasswordWorkflow(rawInput: TemporaryPasswordInput): Promise<ApplyResult> {
  const input = parseInput(temporaryPasswordInputSchema, rawInput);
  const { tenantId, userId } = input;
  let applied: ApplyResult | undefined;
  setHandler(passwordAppliedUpdate, async () => {
    await condition(() => applied !== undefined);
    return applied!;
  });

  const result = await db.applyTemporaryPassword(input);
  applied = result.ok ? { ok: true } : result;
  if (result.ok) {
    await notifySuperseded(result.invalidated);
    if (input.revokeSessions) await db.revokeUserSessions({ tenantId, userId, actor: input.actor });
    if (input.notifyUser) {
      try {
        await mailWithin(NOTICE_RETRY_WINDOW_MS).sendTemporaryPasswordNotice({ tenantId, userId, mustReset: input.mustResetOnNextSignIn });
      } catch (err) {
        // The password is set either way; the failed notice stays visible in this history.
        log.warn('temporary-password notice not delivered', { error: String(err) });
      }
    }
  }
  await condition(allHandlersFinished);
  return applied;
}
