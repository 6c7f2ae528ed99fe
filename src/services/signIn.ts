import { randomUUID } from 'node:crypto';
import type { ChangeRequired, PolicyFailure } from '../contract/vocabulary';
import { findChangeTokenByHash, insertChangeToken } from '../store/changeTokens';
import { getTenant } from '../store/tenants';
import { canonicalEmail, findPasswordSubjectByEmail, flagBreachedPassword, getPasswordSubject, upgradePasswordHash, type PasswordSubject } from '../store/users';
import { inTransaction } from '../db/pool';
import { insertAuditEvent } from '../store/audit';
import { BREACH_CHECK_ACTOR } from '../domain/actors';
import { hashToken, newToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { refused, type RateLimited, type Refused } from './failures';
import { consume, forget, refund } from './rateLimits';
import { createSession, type Client, type Session } from './sessions';
import { runSignInChangeWorkflow } from './temporalCalls';
import { newPasswordFailure } from './newPasswordPolicy';

/**
 * Sign-in and the password change it may demand, shared by the JSON API and the
 * sign-in page, so both count attempts and answer alike.
 */

const CHANGE_TOKEN_TTL_MS = 10 * 60 * 1000;

export type SignInResult =
  | { ok: true; result: 'signed_in'; session: Session }
  | { ok: true; result: 'password_change_required'; reason: ChangeRequired; changeToken: string; expiresAt: string };

type SignInDeps = Pick<ServiceDeps, 'pool' | 'clock' | 'hasher' | 'rateLimits' | 'sessionTtlSeconds' | 'metrics' | 'breachCheck'>;
type SignInAnswer = SignInResult | RateLimited | Refused<'invalid_credentials' | 'temporary_password_expired'>;

/** Sign in with a password; every attempt's outcome is counted (`resetflow_sign_ins_total`). */
export async function signIn(deps: SignInDeps, p: { tenant: string; email: string; password: string; client: Client }): Promise<SignInAnswer> {
  let answer: SignInAnswer;
  try {
    answer = await attemptSignIn(deps, p);
  } catch (err) {
    deps.metrics.signIn('error');
    throw err;
  }
  deps.metrics.signIn(answer.ok ? answer.result : answer.code);
  return answer;
}

async function attemptSignIn(deps: SignInDeps, p: { tenant: string; email: string; password: string; client: Client }): Promise<SignInAnswer> {
  const limits = deps.rateLimits;
  const limited = await consume(limits.perIp, `sign-in:${p.client.ip}`);
  if (limited) return limited;
  // an attempt is spent before argon2 runs, so parallel guesses count like sequential ones
  // keyed on the account however its address is spelled (the database's form, the one the lookup uses)
  const account = `sign-in:${p.tenant}:${await canonicalEmail(deps.pool, p.email)}`;
  const fromHere = `${account}:${p.client.ip}`;
  const blocked = await consume(limits.accountIpFailures, fromHere);
  if (blocked) return blocked;
  const ceiling = await consume(limits.accountFailureCeiling, account);
  if (ceiling) {
    await refund(limits.accountIpFailures, fromHere);
    return ceiling;
  }
  const user = await findPasswordSubjectByEmail(deps.pool, p.tenant, p.email);
  // Unknown email, federated-only user and wrong password cost the same argon2 work and answer alike.
  // An imported hash (user import) is verified as its own system made it, at no less than argon2id's cost.
  const ok = !user?.passwordHash
    ? await deps.hasher.verifyDecoy(p.password)
    : user.passwordHashAlgorithm
      ? await deps.hasher.verifyImported(user.passwordHash, p.password)
      : await deps.hasher.verify(user.passwordHash, p.password);
  if (!ok || !user?.passwordHash) return refused('invalid_credentials');
  // a password the user reported as not theirs ("this wasn't me") fails like a wrong one, after the same work, and stays a failed attempt
  if (user.passwordLockedAt) return refused('invalid_credentials');
  // the right temporary password after it lapsed: said as such (only to someone who knows it); the attempt stays spent
  if (user.passwordExpiresAt && user.passwordExpiresAt <= deps.clock()) return refused('temporary_password_expired');
  // the right password: this address starts over, and the attempt is given back to the account's ceiling
  await Promise.all([forget(limits.accountIpFailures, fromHere), refund(limits.accountFailureCeiling, account)]);
  // the hash the user holds once this sign-in is done (an imported or outdated one is replaced)
  let currentHash = user.passwordHash;
  if (user.passwordHashAlgorithm || deps.hasher.needsRehash(user.passwordHash)) {
    const upgraded = await deps.hasher.hash(p.password);
    if (user.passwordHashAlgorithm) await replaceImportedHash(deps, user, user.passwordHash, upgraded);
    // the same password under today's parameters, only if nobody changed it meanwhile: not a password change
    else await upgradePasswordHash(deps.pool, user.id, user.passwordHash, upgraded);
    currentHash = upgraded;
  }
  const changeRequired = user.changeRequired ?? (await breachedAtSignIn(deps, { ...user, passwordHash: currentHash }, p.password));
  if (changeRequired) {
    const changeToken = newToken();
    const now = deps.clock();
    const expiresAt = new Date(now.getTime() + CHANGE_TOKEN_TTL_MS);
    await insertChangeToken(deps.pool, {
      id: randomUUID(), tenantId: user.tenantId, userId: user.id, tokenHash: hashToken(changeToken), reason: changeRequired, now, expiresAt,
    });
    return { ok: true, result: 'password_change_required', reason: changeRequired, changeToken, expiresAt: expiresAt.toISOString() };
  }
  return { ok: true, result: 'signed_in', session: await createSession(deps, { tenantId: user.tenantId, userId: user.id, client: p.client }) };
}

/**
 * The first sign-in of an imported user: the imported hash becomes argon2id in the same request,
 * with `user.password_rehashed` { from } in the same transaction (only if nobody changed the
 * password meanwhile; a concurrent sign-in that already replaced it writes nothing).
 */
async function replaceImportedHash(deps: SignInDeps, user: PasswordSubject, oldHash: string, newHash: string): Promise<void> {
  const from = user.passwordHashAlgorithm!;
  const replaced = await inTransaction(deps.pool, async (c) => {
    if (!(await upgradePasswordHash(c, user.id, oldHash, newHash))) return false;
    await insertAuditEvent(c, {
      idempotencyKey: `password-rehashed:${user.id}:${randomUUID()}`,
      tenantId: user.tenantId, userId: user.id, actor: { type: 'user', id: user.id }, occurredAt: deps.clock(),
      action: 'user.password_rehashed', data: { from },
    });
    return true;
  });
  if (replaced) deps.metrics.passwordRehashed(from);
}

/** The user chose a new password with the change token from sign-in: applied by its workflow, then signed in. */
export async function changePasswordWithToken(
  deps: SignInDeps & Pick<ServiceDeps, 'temporal' | 'taskQueue' | 'workflowWaitMs' | 'log' | 'sealer'>,
  p: { changeToken: string; newPassword: string; client: Client },
): Promise<{ ok: true; result: 'signed_in'; session: Session } | RateLimited | PolicyFailure | Refused<'invalid_token' | 'token_used' | 'token_expired'>> {
  const limited = await consume(deps.rateLimits.perIp, `change:${p.client.ip}`);
  if (limited) return limited;
  const token = await findChangeTokenByHash(deps.pool, hashToken(p.changeToken));
  if (!token) return refused('invalid_token');
  const spent = await consume(deps.rateLimits.perCredential, `change:${token.id}`);
  if (spent) return spent;
  // used, or ended by a later password write: either way this change can no longer happen
  if (token.usedAt || token.invalidatedAt) return refused('token_used');
  if (token.expiresAt <= deps.clock()) return refused('token_expired');
  const [tenant, user] = await Promise.all([getTenant(deps.pool, token.tenantId), getPasswordSubject(deps.pool, token.tenantId, token.userId)]);
  if (!tenant || !user) return refused('invalid_token');
  const policy = await newPasswordFailure(deps, p.newPassword, tenant, user);
  if (policy) return policy;
  const result = await runSignInChangeWorkflow(deps, { tenantId: tenant.id, userId: user.id, changeTokenId: token.id, newPassword: p.newPassword });
  if (!result.ok) {
    if (result.code === 'password_policy') return result;
    // another submission of this token runs or won meanwhile, or a password write ended it: a lost race
    return refused('token_used');
  }
  deps.metrics.resetStarted('sign_in_change', 'user');
  return { ok: true, result: 'signed_in', session: await createSession(deps, { tenantId: tenant.id, userId: user.id, client: p.client }) };
}

/**
 * `breachedPasswordAtSignIn: "require_change"`: a correct password found in a breach turns this sign-in into a
 * forced change, flagged on the user (`changeRequired: "breached_password"`) and audited
 * `user.breached_password_detected`, in one transaction. `ignore` (the default) looks nothing up; a failed
 * lookup lets the sign-in through.
 */
async function breachedAtSignIn(deps: SignInDeps, user: PasswordSubject, password: string): Promise<ChangeRequired | undefined> {
  const tenant = await getTenant(deps.pool, user.tenantId);
  if (tenant?.settings.breachedPasswordAtSignIn !== 'require_change' || !user.passwordHash) return undefined;
  if ((await deps.breachCheck.isBreached(password)) !== true) return undefined;
  const hash = user.passwordHash;
  const flagged = await inTransaction(deps.pool, async (c) => {
    if (!(await flagBreachedPassword(c, { userId: user.id, passwordHash: hash }))) return false;
    await insertAuditEvent(c, {
      idempotencyKey: `api:${randomUUID()}`, tenantId: user.tenantId, userId: user.id, action: 'user.breached_password_detected',
      actor: BREACH_CHECK_ACTOR, data: {}, occurredAt: deps.clock(),
    });
    return true;
  });
  return flagged ? 'breached_password' : undefined;
}
