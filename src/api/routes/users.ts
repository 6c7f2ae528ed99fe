import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { inTransaction } from '../../db/pool';
import { checkPasswordFor } from '../../domain/passwordPolicy';
import { getUserView, insertUser, listUserViews } from '../../store/users';
import { decodeCursor, encodeCursor } from '../cursor';
import { problems } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { createUserBody, listUsersQuery, tenantParams, userListResponse, userParams, userResponse } from '../schemas';

const userCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

export const userRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/users', tag: 'Users', summary: 'Create a user (with a password, federated identities, or both)',
      params: tenantParams,
      body: createUserBody,
      responses: { 201: { description: 'The user', schema: userResponse } },
      problems: [409, 422],
    },
    async ({ deps, tenant, body }) => {
      const displayName = body.displayName ?? null;
      let passwordHash: string | null = null;
      if (body.password !== undefined) {
        const violations = checkPasswordFor(body.password, tenant, { email: body.email, displayName });
        if (violations.length > 0) throw problems.passwordPolicy('password', violations);
        passwordHash = await deps.hasher.hash(body.password);
      }
      const id = randomUUID();
      const now = deps.clock();
      await inTransaction(deps.pool, async (c) => {
        const r = await insertUser(c, { id, tenantId: tenant.id, email: body.email, displayName, passwordHash, federatedIdentities: body.federatedIdentities, now });
        // thrown inside the transaction, so nothing of the user remains
        if (r === 'email_taken') throw problems.conflict('email_taken', 'Another user of this tenant has this email address.');
        if (r === 'identity_taken') throw problems.conflict('identity_taken', 'Another user of this tenant has this federated identity.');
      });
      return { status: 201, body: await getUserView(deps.pool, tenant.id, id, now) };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/users', tag: 'Users', summary: 'List and search users (email or display name contains q)',
      params: tenantParams,
      query: listUsersQuery,
      responses: { 200: { description: 'A page of users, oldest first', schema: userListResponse } },
    },
    async ({ deps, tenant, query }) => {
      const after = decodeCursor(userCursor, query.cursor);
      const { items, hasMore } = await listUserViews(deps.pool, { tenantId: tenant.id, search: query.q, limit: query.limit, after }, deps.clock());
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: hasMore && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/users/{userId}', tag: 'Users', summary: 'Read a user, with what the Actions menu may offer',
      params: userParams,
      responses: { 200: { description: 'The user', schema: userResponse } },
    },
    async ({ deps, tenant, params }) => {
      const user = await getUserView(deps.pool, tenant.id, params.userId, deps.clock());
      if (!user) throw problems.notFound('The user');
      return { status: 200, body: user };
    },
  ),
];
