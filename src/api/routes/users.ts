import { createUser, getUser, listUsers, updateUser } from '../../services/users';
import { CURSORS, decodeCursor, pageBody } from '../cursor';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { createUserBody, listUsersQuery, patchUserBody, tenantParams, userListResponse, userParams, userResponse } from '../schemas';

const userCursor = CURSORS.createdAtId;

export const userRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users', operationId: 'createUser', tag: 'Users', summary: 'Create a user (with a password, federated identities, or both)',
      params: tenantParams,
      body: createUserBody,
      responses: { 201: { description: 'The user', schema: userResponse } },
      problems: [409, 422],
    },
    async ({ deps, tenant, body }) => ({ status: 201, body: unwrap(await createUser(deps, tenant, body), { policyField: 'password' }).user }),
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/users', operationId: 'listUsers', tag: 'Users', summary: 'List and search users (email or display name contains q)',
      params: tenantParams,
      query: listUsersQuery,
      responses: { 200: { description: 'A page of users, oldest first', schema: userListResponse } },
    },
    async ({ deps, tenant, query }) => {
      const after = decodeCursor(userCursor, query.cursor);
      return { status: 200, body: pageBody(await listUsers(deps, { tenantId: tenant.id, search: query.q, limit: query.limit, after })) };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/users/{userId}', operationId: 'getUser', tag: 'Users', summary: 'Read a user, with what the Actions menu may offer',
      params: userParams,
      responses: { 200: { description: 'The user', schema: userResponse } },
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: unwrap(await getUser(deps, tenant.id, params.userId)).user }),
  ),
  adminRoute(
    {
      method: 'patch', path: '/admin/tenants/{tenantId}/users/{userId}', operationId: 'updateUser', tag: 'Users',
      summary: "Change a user's display name, privileged flag or language (audited user.updated with the fields before and after)",
      params: userParams,
      body: patchUserBody,
      responses: { 200: { description: 'The user', schema: userResponse } },
      problems: [403],
    },
    async ({ deps, tenant, params, body, admin }) => ({
      status: 200,
      body: unwrap(await updateUser(deps, { tenantId: tenant.id, userId: params.userId, patch: body, actor: admin.actor, mayLowerPrivilege: admin.scope === 'platform' })).user,
    }),
  ),
];
