import { ApplicationFailure } from '@temporalio/activity';
import { inTransaction, type Queryable } from '../db/pool';
import { findAuditEventByKey, insertAuditEvent } from '../store/audit';
import { getChangeToken, lockChangeToken, markChangeTokenUsed } from '../store/changeTokens';
import { endReset, getReset, listSupersededBy, lockReset, supersedePendingResets, type ResetRef } from '../store/resets';
import { getTenant } from '../store/tenants';
import { getPasswordSubject, lockPasswordSubject, writePassword } from '../store/users';
import { SealError } from '../security/sealing';
import {
  sealContext,
  type ApplyResult,
  type FinalResetState,
  type PolicyFailure,
  type TemporaryPasswordInput,
} from '../workflows/definitions';
import { currentExecution, stepKey, type ActivityDeps } from './deps';
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

export type ChosenPasswordResult = { ok: true; invalidated: ResetRef[] } | PolicyFailure | ProofFailure;
export type AdminPasswordResult = (ApplyResult & { ok: false }) | { ok: true; invalidated: ResetRef[] };

function proofRef(proof: PasswordProof): string {
  return proof.kind === 'reset_link' ? proof.resetId : proof.changeTokenId;
}

async function checkProof(
  q: Queryable,
  p: { tenantId: string; userId: string; proof: PasswordProof; now: Date; lock: boolean },
): Promise<ProofFailure | undefined> {
  if (p.proof.kind === 'reset_link') {
    const reset = await (p.lock ? lockReset : getReset)(q, p.tenantId, p.proof.resetId);
    if (!reset || reset.userId !== p.userId) return { ok: false, code: 'link_used', state: 'cancelled' };
    if (reset.state === 'expired') return { ok: false, code: 'link_expired', state: 'expired' };
    if (reset.state !== 'pending') return { ok: false, code: 'link_used', state: reset.state };
    if (reset.expiresAt <= p.now) return { ok: false, code: 'link_expired', state: 'expired' };
    return undefined;
  }
  const t = await (p.lock ? lockChangeToken : getChangeToken)(q, p.proof.changeTokenId);
  if (!t || t.userId !== p.userId || t.tenantId !== p.tenantId || t.usedAt || t.expiresAt <= p.now) {
    return { ok: false, code: 'invalid_token' };
  }
  return undefined;
}

function unseal(deps: ActivityDeps, sealed: string, context: string): string {
  try {
    return deps.sealer.unseal(sealed, context);
  } catch (err) {
    if (err instanceof SealError) {
      // A key mismatch between API and worker: retrying cannot help, an operator must fix SECRETS_KEY.
      throw ApplicationFailure.nonRetryable(err.message, 'SealError');
    }
    throw err;
  }
}

export function passwordWriteActivities(deps: ActivityDeps) {
  return {
    /** Path 2: an admin sets a (by default temporary) password. */
    async applyTemporaryPassword(input: TemporaryPasswordInput): Promise<AdminPasswordResult> {
      const exec = currentExecution();
      const key = stepKey(exec, 'password_set_by_admin');
      if (await findAuditEventByKey(deps.pool, key)) {
        return { ok: true, invalidated: await listSupersededBy(deps.pool, input.userId, exec.workflowId) };
      }
      const [tenant, subject] = await Promise.all([
        getTenant(deps.pool, input.tenantId),
        getPasswordSubject(deps.pool, input.tenantId, input.userId),
      ]);
      if (!tenant || !subject) return { ok: false, code: 'user_not_found' };
      if (!subject.passwordHash) return { ok: false, code: 'no_password_identity' };
      const password = unseal(deps, input.sealedPassword, sealContext.newPassword(input.tenantId, input.userId, input.operationId));
      const prepared = await hashNewPassword(deps, { tenant, subject, password });
      if (!prepared.ok) return prepared;

      const now = deps.clock();
      const temporary = input.mustResetOnNextSignIn;
      return inTransaction(deps.pool, async (c): Promise<AdminPasswordResult> => {
        const locked = await lockPasswordSubject(c, input.tenantId, input.userId);
        if (!locked?.passwordHash) return { ok: false, code: 'no_password_identity' };
        const first = await insertAuditEvent(c, {
          idempotencyKey: key,
          tenantId: input.tenantId,
          userId: input.userId,
          action: 'user.password_set_by_admin',
          actor: input.actor,
          data: { temporary, mustResetOnNextSignIn: input.mustResetOnNextSignIn, notified: input.notifyUser },
          occurredAt: now,
          ...exec,
        });
        if (!first) return { ok: true, invalidated: await listSupersededBy(c, input.userId, exec.workflowId) };
        await writePassword(c, {
          userId: input.userId,
          passwordHash: prepared.hash,
          temporary,
          changeRequired: temporary ? 'temporary_password' : null,
          now,
          keepHistory: tenant.settings.passwordPolicy.historyCount,
        });
        const invalidated = await supersedePendingResets(c, { userId: input.userId, now, endedBy: exec.workflowId });
        return { ok: true, invalidated };
      });
    },

    /** Path 1 completion and the forced change at sign-in: the user chose a new password. */
    async applyChosenPassword(input: ChosenPasswordInput): Promise<ChosenPasswordResult> {
      const exec = currentExecution();
      const key = stepKey(exec, 'password_reset_completed');
      if (await findAuditEventByKey(deps.pool, key)) {
        return { ok: true, invalidated: await listSupersededBy(deps.pool, input.userId, exec.workflowId) };
      }
      const early = await checkProof(deps.pool, { ...input, now: deps.clock(), lock: false });
      if (early) return early;
      const [tenant, subject] = await Promise.all([
        getTenant(deps.pool, input.tenantId),
        getPasswordSubject(deps.pool, input.tenantId, input.userId),
      ]);
      if (!tenant || !subject?.passwordHash) return input.proof.kind === 'reset_link' ? { ok: false, code: 'link_used', state: 'cancelled' } : { ok: false, code: 'invalid_token' };
      const password = unseal(deps, input.sealedPassword, sealContext.newPassword(input.tenantId, input.userId, proofRef(input.proof)));
      const prepared = await hashNewPassword(deps, { tenant, subject, password });
      if (!prepared.ok) return prepared;

      return inTransaction(deps.pool, async (c): Promise<ChosenPasswordResult> => {
        const now = deps.clock();
        const failure = await checkProof(c, { ...input, now, lock: true });
        if (failure) return failure;
        const locked = await lockPasswordSubject(c, input.tenantId, input.userId);
        if (!locked?.passwordHash) return { ok: false, code: 'invalid_token' };
        const first = await insertAuditEvent(c, {
          idempotencyKey: key,
          tenantId: input.tenantId,
          userId: input.userId,
          action: 'user.password_reset_completed',
          actor: { type: 'user', id: input.userId },
          data: input.proof.kind === 'reset_link' ? { via: 'email_link', resetId: input.proof.resetId } : { via: 'sign_in', reason: locked.changeRequired },
          occurredAt: now,
          ...exec,
        });
        if (!first) return { ok: true, invalidated: await listSupersededBy(c, input.userId, exec.workflowId) };
        await writePassword(c, {
          userId: input.userId,
          passwordHash: prepared.hash,
          temporary: false,
          changeRequired: null,
          now,
          keepHistory: tenant.settings.passwordPolicy.historyCount,
        });
        if (input.proof.kind === 'reset_link') {
          await endReset(c, { resetId: input.proof.resetId, state: 'completed', now, endedBy: exec.workflowId });
        } else {
          await markChangeTokenUsed(c, input.proof.changeTokenId, now);
        }
        const invalidated = await supersedePendingResets(c, {
          userId: input.userId,
          ...(input.proof.kind === 'reset_link' ? { exceptResetId: input.proof.resetId } : {}),
          now,
          endedBy: exec.workflowId,
        });
        return { ok: true, invalidated };
      });
    },
  };
}
