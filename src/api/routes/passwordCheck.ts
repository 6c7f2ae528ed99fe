import { checkPassword } from '../../services/adminPasswords';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { passwordCheckBody, passwordCheckResponse, userParams } from '../schemas';

/**
 * A dry run of the tenant's password policy for one user, so the console can
 * check a temporary password as the admin types it. Changes nothing and audits
 * nothing.
 */
export const passwordCheckRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users/{userId}/password-check', operationId: 'checkPassword', tag: 'Password resets',
      summary: "Check a candidate password against the tenant's policy for this user (nothing is stored)",
      params: userParams,
      body: passwordCheckBody,
      responses: { 200: { description: 'The rules the password breaks (empty when it passes)', schema: passwordCheckResponse } },
    },
    async ({ deps, tenant, params, body }) => {
      const { violations, checkedWhenSet } = unwrap(await checkPassword(deps, { tenant, userId: params.userId, password: body.password }));
      return { status: 200, body: { violations, checkedWhenSet } };
    },
  ),
];
