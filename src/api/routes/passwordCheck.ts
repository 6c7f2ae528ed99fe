import { checkPasswordFor } from '../../domain/passwordPolicy';
import { getPasswordSubject } from '../../store/users';
import { problems } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { passwordCheckBody, passwordCheckResponse, userParams } from '../schemas';

/**
 * A dry run of the tenant's password policy for one user, so the console can
 * check a temporary password as the admin types it. Changes nothing and audits
 * nothing. Reuse of an old password needs the stored hashes (slow on purpose)
 * and is checked when the password is set.
 */
export const passwordCheckRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/password-check', tag: 'Password resets',
      summary: "Check a candidate password against the tenant's policy for this user (nothing is stored)",
      params: userParams,
      body: passwordCheckBody,
      responses: { 200: { description: 'The rules the password breaks (empty when it passes)', schema: passwordCheckResponse } },
    },
    async ({ deps, tenant, params, body }) => {
      const user = await getPasswordSubject(deps.pool, tenant.id, params.userId);
      if (!user) throw problems.notFound('The user');
      const violations = checkPasswordFor(body.password, tenant, user);
      return { status: 200, body: { violations, checkedWhenSet: tenant.settings.passwordPolicy.historyCount > 0 ? ['reused'] : [] } };
    },
  ),
];
