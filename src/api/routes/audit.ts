import { z } from 'zod';
import { listAuditEvents } from '../../store/audit';
import { decodeCursor, encodeCursor } from '../cursor';
import { adminRoute, type RouteDef } from '../route';
import { auditListResponse, auditQuery, tenantParams } from '../schemas';

export const auditRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/audit-events', tag: 'Audit', summary: 'Audit events, newest first',
      params: tenantParams,
      query: auditQuery,
      responses: { 200: { description: 'A page of events', schema: auditListResponse } },
    },
    async ({ deps, tenant, query }) => {
      const before = decodeCursor(z.object({ seq: z.number().int() }), query.cursor)?.seq;
      const page = await listAuditEvents(deps.pool, { tenantId: tenant.id, userId: query.userId, action: query.action, limit: query.limit, before });
      return { status: 200, body: { items: page.items, nextCursor: page.lastSeq === undefined ? null : encodeCursor({ seq: page.lastSeq }) } };
    },
  ),
];
