import { ApplicationFailure } from '@temporalio/activity';
import { inTransaction, type PoolClient, type Queryable } from '../db/pool';
import type { NoPasswordSubject, TemporaryPasswordInput } from '../contract/adminPasswords';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { sealContext, sealedSchema } from '../contract/sealing';
import { temporaryPasswordInputSchema } from '../contract/workflowInputs';
import { checkedInput } from './checkedInput';
import type { AuditPayload } from '../contract/audit';
import type { Actor, ChangeRequired, FinalResetState, PolicyFailure, ResetPath } from '../contract/vocabulary';
import { effectiveResetState } from '../domain/resetLink';
import { findAuditEventByKey, insertAuditEvent } from '../store/audit';
import { getChangeToken, invalidateChangeTokens, lockChangeToken, markChangeTokenUsed } from '../store/changeTokens';
import { endReset, getReset, listSupersededBy, lockReset, supersedePendingResets, type ResetRef } from '../store/resets';
import { getTenant } from '../store/tenants';
import { getPasswordSubject, lockPasswordSubject, writePassword, type PasswordSubject } from '../store/users';
import { SealError } from '../security/sealing';
import { currentExecution, stepKey, type ActivityDeps, type Execution } from './deps';
import { hashNewPassword } from './newPassword';

/** What proves the user may choose a new password: a pending reset link, or a change token from sign-in. */
export type PasswordProof = { kind: 'reset_link'; resetId: string } | { kind: 'change_token'; changeTokenId: string };

export interface ChosenPasswordInput {
  tenantId: string;
  userId: string;
  sealedPassword: string;
  proof: PasswordProof;
}

type ProofFailure =
  | { ok: false; code: 'link_expired' | 'link_used'; state: FinalResetState }
  | { ok: false; code: 'invalid_token' };
/**
 * A password was written. `invalidated`: the links it ended; `endedTemporaryPassword`:
 * the workflow of the temporary password it replaced (the caller signals both).
 */
type Written = {
  ok: true;
  invalidated: ResetRef[];
  endedTemporaryPassword?: string;
  setAt: string;
  /**
   * false when the tenant sends no password-changed notice (`notifyPasswordChanged` off): the workflow then starts
   * no notice workflow. Absent (a retried write, a result recorded before this field existed): start it, and the
   * notice reads the setting itself.
   */
  notify?: boolean;
};

export type ChosenPasswordResult = Written | PolicyFailure | ProofFailure;
export type AdminPasswordResult = Written | PolicyFailure | NoPasswordSubject;
/** Path 2: `expiresAt` when the temporary password lapses (and this workflow still tracks it). */
export type TemporaryPasswordResult = (Written & { expiresAt?: string }) | PolicyFailure | NoPasswordSubject;

/** One password write: the same steps for every path, with what differs between them. */
interface WritePlan<F> {
  tenantId: string;
  userId: string;
  sealedPassword: string;
  /** the id the password was sealed for (operation, reset or change token) */
  sealedFor: string;
  step: string;
  /** what to answer when the user or their password identity is gone */
  gone: F;
  /** a reason not to write, checked before hashing and again under lock */
  refuse?: (q: Queryable, now: Date, lock: boolean) => Promise<F | undefined>;
  audit: (locked: PasswordSubject) => AuditPayload & { actor: Actor };
  temporary: boolean;
  changeRequired: ChangeRequired | null;
  /** spend the proof, in the same transaction */
  spend?: (c: PoolClient, now: Date, exec: Execution) => Promise<void>;
  /** the link this write completes, which it must not supersede */
  exceptResetId?: string;
  /** a temporary password that lapses after the tenant's temporaryPasswordTtlSeconds, tracked by this workflow */
  lapses?: boolean;
  /** the change token this write spends (the others end) */
  exceptChangeTokenId?: string;
  /** the path this write completes (counted once, when it commits) */
  path: ResetPath;
}

/**
 * Check the whole policy and hash (outside any transaction: argon2 is the slow
 * part), then in one transaction: lock the user, re-check, audit, write the
 * password and its history, spend the proof, and end every other credential issued
 * for the old password: the user's other links and open change tokens.
 * The audit row's key makes it exactly-once: a retried attempt finds it and
 * answers as the first did, without hashing or writing again.
 */
async function writeNewPassword<F>(deps: ActivityDeps, plan: WritePlan<F>): Promise<Written | PolicyFailure | F> {
  const exec = currentExecution();
  const key = stepKey(exec, plan.step);
  // setAt: when the password was written (the audit row's time, the same `now`): what a "this wasn't me" link is bound to
  const done = async (q: Queryable, setAt: string): Promise<Written> => ({ ok: true, invalidated: await listSupersededBy(q, plan.userId, exec.workflowId), setAt });
  const prior = await findAuditEventByKey(deps.pool, key);
  if (prior) return done(deps.pool, prior.occurredAt);
  const early = await plan.refuse?.(deps.pool, deps.clock(), false);
  if (early) return early;
  const [tenant, subject] = await Promise.all([getTenant(deps.pool, plan.tenantId), getPasswordSubject(deps.pool, plan.tenantId, plan.userId)]);
  if (!tenant || !subject?.passwordHash) return plan.gone;
  const password = unseal(deps, plan.sealedPassword, sealContext.newPassword(plan.tenantId, plan.userId, plan.sealedFor));
  const prepared = await hashNewPassword(deps, { tenant, subject, password });
  if (!prepared.ok) return prepared;

  let wrote = false;
  const result = await inTransaction(deps.pool, async (c): Promise<Written | F> => {
    const now = deps.clock();
    const refused = await plan.refuse?.(c, now, true);
    if (refused) return refused;
    const locked = await lockPasswordSubject(c, plan.tenantId, plan.userId);
    if (!locked?.passwordHash) return plan.gone;
    const first = await insertAuditEvent(c, { idempotencyKey: key, tenantId: plan.tenantId, userId: plan.userId, occurredAt: now, ...plan.audit(locked), ...exec });
    if (!first) return done(c, (await findAuditEventByKey(c, key))!.occurredAt);
    await writePassword(c, {
      userId: plan.userId,
      passwordHash: prepared.hash,
      temporary: plan.temporary,
      changeRequired: plan.changeRequired,
      now,
      keepHistory: tenant.settings.passwordPolicy.historyCount,
      lapses: plan.lapses ? { at: new Date(now.getTime() + tenant.settings.temporaryPasswordTtlSeconds * 1000), workflowId: exec.workflowId } : undefined,
    });
    await plan.spend?.(c, now, exec);
    await invalidateChangeTokens(c, { userId: plan.userId, now, exceptId: plan.exceptChangeTokenId });
    const invalidated = await supersedePendingResets(c, {
      userId: plan.userId,
      ...(plan.exceptResetId ? { exceptResetId: plan.exceptResetId } : {}),
      now,
      endedBy: exec.workflowId,
    });
    wrote = true;
    const replaced = locked.temporaryPasswordWorkflowId;
    return {
      ok: true, invalidated, setAt: now.toISOString(), notify: tenant.settings.notifyPasswordChanged,
      ...(replaced && replaced !== exec.workflowId ? { endedTemporaryPassword: replaced } : {}),
    };
  });
  if (wrote) {
    deps.metrics.resetEnded(plan.path, 'completed');
    deps.metrics.resetEnded('reset_email', 'superseded', (result as Written).invalidated.length);
  }
  return result;
}

async function refuseLink(q: Queryable, p: { tenantId: string; userId: string; resetId: string; now: Date; lock: boolean }): Promise<ProofFailure | undefined> {
  const reset = await (p.lock ? lockReset : getReset)(q, p.tenantId, p.resetId);
  if (!reset || reset.userId !== p.userId) return { ok: false, code: 'link_used', state: 'cancelled' };
  const state = effectiveResetState(reset, p.now);
  if (state === 'expired') return { ok: false, code: 'link_expired', state };
  if (state !== 'pending') return { ok: false, code: 'link_used', state };
  return undefined;
}

async function refuseChangeToken(q: Queryable, p: { tenantId: string; userId: string; changeTokenId: string; now: Date; lock: boolean }): Promise<ProofFailure | undefined> {
  const t = await (p.lock ? lockChangeToken : getChangeToken)(q, p.changeTokenId);
  if (!t || t.userId !== p.userId || t.tenantId !== p.tenantId || t.usedAt || t.invalidatedAt || t.expiresAt <= p.now) return { ok: false, code: 'invalid_token' };
  return undefined;
}

function unseal(deps: ActivityDeps, sealed: string, context: string): string {
  try {
    return deps.sealer.unseal(sealed, context);
  } catch (err) {
    if (err instanceof SealError) {
      // A key mismatch between API and worker: retrying cannot help, an operator must fix SECRETS_KEY.
      throw ApplicationFailure.nonRetryable(err.message, FAILURE_TYPES.sealError);
    }
    throw err;
  }
}

export function passwordWriteActivities(deps: ActivityDeps) {
  return {
    /** Path 2: an admin sets a (by default temporary) password. */
    async applyTemporaryPassword(raw: TemporaryPasswordInput): Promise<TemporaryPasswordResult> {
      const input = checkedInput(temporaryPasswordInputSchema, raw);
      const temporary = input.mustResetOnNextSignIn;
      const written = await writeNewPassword(deps, {
        tenantId: input.tenantId,
        userId: input.userId,
        sealedPassword: input.sealedPassword,
        sealedFor: input.operationId,
        step: 'password_set_by_admin',
        gone: { ok: false, code: 'no_password_identity' } as const,
        audit: () => ({
          action: 'user.password_set_by_admin',
          actor: input.actor,
          data: { temporary, mustResetOnNextSignIn: input.mustResetOnNextSignIn, notified: input.notifyUser, ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}) },
        }),
        temporary,
        changeRequired: temporary ? 'temporary_password' : null,
        lapses: temporary,
        path: 'temporary_password',
      });
      if (!written.ok || !temporary) return written;
      // read back (a retried attempt too): the lapse this workflow tracks, unless a newer write replaced it
      const subject = await getPasswordSubject(deps.pool, input.tenantId, input.userId);
      const tracked = subject?.temporaryPasswordWorkflowId === currentExecution().workflowId ? subject.passwordExpiresAt : null;
      return tracked ? { ...written, expiresAt: tracked.toISOString() } : written;
    },

    /** Path 1 completion and the forced change at sign-in: the user chose a new password. */
    async applyChosenPassword(input: ChosenPasswordInput): Promise<ChosenPasswordResult> {
      checkedInput(sealedSchema, input.sealedPassword);
      const { tenantId, userId, proof } = input;
      const common = {
        tenantId,
        userId,
        sealedPassword: input.sealedPassword,
        step: 'password_reset_completed',
        temporary: false,
        changeRequired: null,
      };
      if (proof.kind === 'reset_link') {
        return writeNewPassword<ProofFailure>(deps, {
          ...common,
          sealedFor: proof.resetId,
          gone: { ok: false, code: 'link_used', state: 'cancelled' },
          refuse: (q, now, lock) => refuseLink(q, { tenantId, userId, resetId: proof.resetId, now, lock }),
          audit: () => ({ action: 'user.password_reset_completed', actor: { type: 'user', id: userId }, data: { via: 'email_link', resetId: proof.resetId } }),
          spend: async (c, now, exec) => void (await endReset(c, { resetId: proof.resetId, state: 'completed', now, endedBy: exec.workflowId })),
          exceptResetId: proof.resetId,
          path: 'reset_email',
        });
      }
      return writeNewPassword<ProofFailure>(deps, {
        ...common,
        sealedFor: proof.changeTokenId,
        gone: { ok: false, code: 'invalid_token' },
        refuse: (q, now, lock) => refuseChangeToken(q, { tenantId, userId, changeTokenId: proof.changeTokenId, now, lock }),
        audit: (locked) => ({ action: 'user.password_reset_completed', actor: { type: 'user', id: userId }, data: { via: 'sign_in', reason: locked.changeRequired } }),
        spend: (c, now) => markChangeTokenUsed(c, proof.changeTokenId, now),
        exceptChangeTokenId: proof.changeTokenId,
        path: 'sign_in_change',
      });
    },
  };
}
