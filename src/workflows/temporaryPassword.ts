import { allHandlersFinished, condition, log, setHandler } from '@temporalio/workflow';
import {
  passwordAppliedUpdate,
  temporaryPasswordReplacedSignal,
  type ApplyResult,
  type TemporaryPasswordInput,
} from '../contract/adminPasswords';
import { db, mailWithin } from './activityOptions';
import { actor, expectInput, is } from './guards';
import { notifyPasswordWritten } from './superseded';

const NOTICE_RETRY_WINDOW_MS = 24 * 3600 * 1000;

/**
 * Path 2: an admin sets a password (temporary by default: the user must change it
 * at the next sign-in), optionally revokes sessions and emails the user a notice
 * that never contains the password. The API waits on `passwordApplied`, which
 * answers as soon as the password is stored.
 *
 * A temporary password is then tracked until it is replaced (the change at sign-in,
 * or any newer password write, signals `temporaryPasswordReplaced`) or lapses at
 * the tenant's temporaryPasswordTtlSeconds (a durable timer), when
 * `user.temporary_password_expired` is audited once.
 */
export async function temporaryPasswordWorkflow(rawInput: TemporaryPasswordInput): Promise<ApplyResult> {
  const input = expectInput(rawInput, {
    tenantId: is.tenantId, userId: is.uuid, operationId: is.uuid, sealedPassword: is.sealed,
    mustResetOnNextSignIn: is.boolean, notifyUser: is.boolean, revokeSessions: is.boolean, actor, approvedBy: is.optional(actor),
  });
  const { tenantId, userId } = input;
  let applied: ApplyResult | undefined;
  let replaced = false;
  let setAt: string | undefined;
  setHandler(passwordAppliedUpdate, async () => {
    await condition(() => applied !== undefined);
    return applied!;
  });
  setHandler(temporaryPasswordReplacedSignal, () => {
    replaced = true;
  });

  const result = await db.applyTemporaryPassword(input);
  applied = result.ok ? { ok: true } : result;
  if (result.ok) {
    setAt = result.setAt;
    await notifyPasswordWritten(result);
    if (input.revokeSessions) await db.revokeUserSessions({ tenantId, userId, actor: input.actor });
    // the notice may retry for a day; the lapse is timed from the password, not from the email
    await Promise.all([
      input.notifyUser ? sendNotice() : undefined,
      result.expiresAt ? trackUntilLapse(Date.parse(result.expiresAt)) : undefined,
    ]);
  }
  await condition(allHandlersFinished);
  return applied;

  async function sendNotice(): Promise<void> {
    try {
      // the notice carries a "this wasn't me" link bound to this password (none when it was replaced meanwhile)
      const link = setAt ? await db.issueReportLink({ tenantId, userId, passwordSetAt: setAt, notice: 'temporary_password_set' }) : undefined;
      const report = link?.status === 'issued' ? { reportId: link.reportId, sealedToken: link.sealedToken } : undefined;
      await mailWithin(NOTICE_RETRY_WINDOW_MS).sendTemporaryPasswordNotice({ tenantId, userId, mustReset: input.mustResetOnNextSignIn, report });
    } catch (err) {
      // The password is set either way; the failed notice stays visible in this history.
      log.warn('temporary-password notice not delivered', { error: String(err) });
    }
  }

  async function trackUntilLapse(expiresAtMs: number): Promise<void> {
    const remaining = expiresAtMs - Date.now();
    if (remaining > 0 && (await condition(() => replaced, remaining))) return;
    if (replaced) return;
    const { expired } = await db.expireTemporaryPassword({ tenantId, userId });
    if (!expired) log.info('temporary password replaced before it lapsed');
  }
}
