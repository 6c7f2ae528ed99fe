import { randomUUID } from 'node:crypto';
import type { ChangeRequired, PolicyFailure } from '../contract/vocabulary';
import { checkPasswordFor, policyFailure } from '../domain/passwordPolicy';
import { findChangeTokenByHash, insertChangeToken } from '../store/changeTokens';
import { getTenant } from '../store/tenants';
import { findPasswordSubjectByEmail, getPasswordSubject, upgradePasswordHash } from '../store/users';
import { hashToken, newToken } from '../security/tokens';
import type { ServiceDeps } from './deps';
import { refused, type RateLimited, type Refused } from './failures';
import { consume, forget, refund } from './rateLimits';
import { createSession, type Client, type Session } from './sessions';
import { runSignInChangeWorkflow } from './temporalCalls';

/**
 * Sign-in and the password change it may demand, shared by the JSON API and the
 * sign-in page, so both count attempts and answer alike.
 */

const CHANGE_TOKEN_TTL_MS = 10 * 60 * 1000;

export type SignInResult =
  | { ok: true; result: 'signed_in'; session: Session }
  | { ok: true; result: 'password_change_required'; reason: ChangeRequired; changeToken: string; expiresAt: string };

type SignInDeps = Pick<ServiceDeps, 'pool' | 'clock' | 'hasher' | 'rateLimits' | 'sessionTtlSeconds' | 'metrics'>;
type SignInAnswer = SignInResult | RateLimited | Refused<'invalid_credentials'>;

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
  const account = `sign-in:${p.tenant}:${p.email.toLowerCase()}`;
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
  const ok = user?.passwordHash ? await deps.hasher.verify(user.passwordHash, p.password) : await deps.hasher.verifyDecoy(p.password);
  if (!ok || !user?.passwordHash) return refused('invalid_credentials');
  // the right password: this address starts over, and the attempt is given back to the account's ceiling
  await Promise.all([forget(limits.accountIpFailures, fromHere), refund(limits.accountFailureCeiling, account)]);
  if (deps.hasher.needsRehash(user.passwordHash)) {
    // the same password under today's parameters, only if nobody changed it meanwhile: not a password change
    await upgradePasswordHash(deps.pool, user.id, user.passwordHash, await deps.hasher.hash(p.password));
  }
  if (user.changeRequired) {
    const changeToken = newToken();
    const now = deps.clock();
    const expiresAt = new Date(now.getTime() + CHANGE_TOKEN_TTL_MS);
    await insertChangeToken(deps.pool, {
      id: randomUUID(), tenantId: user.tenantId, userId: user.id, tokenHash: hashToken(changeToken), reason: user.changeRequired, now, expiresAt,
    });
    return { ok: true, result: 'password_change_required', reason: user.changeRequired, changeToken, expiresAt: expiresAt.toISOString() };
  }
  return { ok: true, result: 'signed_in', session: await createSession(deps, { tenantId: user.tenantId, userId: user.id, client: p.client }) };
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
  const policy = policyFailure(checkPasswordFor(p.newPassword, tenant, user));
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
