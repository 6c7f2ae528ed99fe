import type { PolicyFailure, PolicyViolation } from '../contract/vocabulary';
import { checkPasswordFor, policyFailure } from '../domain/passwordPolicy';
import { breachViolations } from '../security/breachedPasswords';
import type { ServiceDeps } from './deps';

type PolicyTenant = Parameters<typeof checkPasswordFor>[1];
type PolicyUser = Parameters<typeof checkPasswordFor>[2];

/**
 * The API's early check of a new password, answered at once: every stateless rule, then (when they pass and
 * the tenant blocks breached passwords) a Pwned Passwords range lookup. The activity that writes the password
 * checks again, reuse included (src/activities/newPassword.ts).
 */
export async function newPasswordViolations(deps: Pick<ServiceDeps, 'breachCheck'>, password: string, tenant: PolicyTenant, user: PolicyUser): Promise<PolicyViolation[]> {
  const violations = checkPasswordFor(password, tenant, user);
  return [...violations, ...(await breachViolations(deps.breachCheck, tenant.settings.passwordPolicy, password, violations))];
}

export async function newPasswordFailure(deps: Pick<ServiceDeps, 'breachCheck'>, password: string, tenant: PolicyTenant, user: PolicyUser): Promise<PolicyFailure | undefined> {
  return policyFailure(await newPasswordViolations(deps, password, tenant, user));
}
