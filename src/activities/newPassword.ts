import type { PolicyFailure } from '../contract/vocabulary';
import { checkPasswordFor, policyFailure, reuseViolation } from '../domain/passwordPolicy';
import { breachViolations } from '../security/breachedPasswords';
import { recentPasswordHashes, type PasswordSubject } from '../store/users';
import type { Tenant } from '../store/tenants';
import type { ActivityDeps } from './deps';

/**
 * Check a new password against the whole tenant policy, reuse of the last N
 * included, and hash it. Runs outside any transaction: argon2 is the slow part.
 */
export async function hashNewPassword(
  deps: Pick<ActivityDeps, 'pool' | 'hasher' | 'breachCheck'>,
  p: { tenant: Tenant; subject: PasswordSubject; password: string },
): Promise<{ ok: true; hash: string } | PolicyFailure> {
  const policy = p.tenant.settings.passwordPolicy;
  const violations = checkPasswordFor(p.password, p.tenant, p.subject);
  if (violations.length === 0 && policy.historyCount > 0) {
    const previous = await recentPasswordHashes(deps.pool, p.subject.id, policy.historyCount);
    const matches = await Promise.all(previous.map((h) => deps.hasher.verify(h, p.password)));
    if (matches.some(Boolean)) violations.push(reuseViolation(policy.historyCount));
  }
  violations.push(...(await breachViolations(deps.breachCheck, policy, p.password, violations)));
  return policyFailure(violations) ?? { ok: true, hash: await deps.hasher.hash(p.password) };
}
