import { z } from 'zod';
import { listAuditEvents } from '../../services/audit';
import { decodeCursor, pageBody } from '../cursor';
import { adminRoute, type RouteDef } from '../route';
import { auditListResponse, auditQuery, tenantParams } from '../schemas';

const auditCursor = z.object({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const auditRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/audit-events', operationId: 'listAuditEvents', tag: 'Audit', summary: 'Audit events, newest first',
      params: tenantParams,
      query: auditQuery,
      responses: { 200: { description: 'A page of events', schema: auditListResponse } },
    },
    async ({ deps, tenant, query }) => {
      const beforeSeq = decodeCursor(auditCursor, query.cursor)?.seq;
      const page = await listAuditEvents(deps, { tenantId: tenant.id, userId: query.userId, action: query.action, limit: query.limit, beforeSeq });
      return { status: 200, body: pageBody(page, (seq) => ({ seq })) };
    },
  ),
];
