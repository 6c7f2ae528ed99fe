import { z } from 'zod';
import { exportAuditEvents, listAuditEvents, type AuditEvent, type AuditFilter } from '../../services/audit';
import { csvRow } from '../csv';
import { CURSORS, decodeCursor, pageBody } from '../cursor';
import { adminRoute, type RouteDef } from '../route';
import { auditListResponse, auditQuery, tenantParams } from '../schemas';

const auditCursor = CURSORS.auditSeq;

/** The CSV export's columns, in order (`data` as JSON). */
const CSV_COLUMNS = ['id', 'occurredAt', 'action', 'userId', 'actorType', 'actorId', 'actorName', 'workflowId', 'runId', 'data'] as const;

function csvLine(e: AuditEvent): string {
  return csvRow([e.id, e.occurredAt, e.action, e.userId, e.actor.type, e.actor.id, e.actor.name, e.workflowId, e.runId, JSON.stringify(e.data)]);
}

/** The header, then every matching event, one page of rows at a time. */
async function* csvExport(pages: AsyncIterable<AuditEvent[]>): AsyncGenerator<string> {
  yield csvRow(CSV_COLUMNS);
  for await (const page of pages) yield page.map(csvLine).join('');
}

export const auditRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/audit-events', operationId: 'listAuditEvents', tag: 'Audit',
      summary: 'Audit events, newest first; with "Accept: text/csv", every matching event as CSV (streamed; limit and cursor do not apply)',
      params: tenantParams,
      query: auditQuery,
      responses: {
        200: {
          description: 'A page of events (JSON), or all of them as CSV: id, occurredAt, action, userId, actorType, actorId, actorName, workflowId, runId, data (JSON)',
          schema: auditListResponse,
          media: { 'text/csv': z.string().describe('RFC 4180, a header row; cells that would start a formula begin with an apostrophe') },
        },
      },
    },
    async ({ deps, req, tenant, query }) => {
      const filter: AuditFilter = { tenantId: tenant.id, userId: query.userId, action: query.action, actorId: query.actorId, from: query.from, to: query.to };
      if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
        return {
          status: 200,
          headers: {
            'Content-Type': 'text/csv; charset=utf-8; header=present',
            'Content-Disposition': `attachment; filename="audit-${tenant.id}.csv"`,
            'X-Content-Type-Options': 'nosniff',
          },
          stream: csvExport(exportAuditEvents(deps, filter)),
        };
      }
      const beforeSeq = decodeCursor(auditCursor, query.cursor)?.seq;
      const page = await listAuditEvents(deps, { ...filter, limit: query.limit, beforeSeq });
      return { status: 200, body: pageBody(page, (seq) => ({ seq })) };
    },
  ),
];
