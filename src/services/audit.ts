import { listAuditEvents as listStoredEvents, type AuditEvent, type AuditFilter, type AuditQuery } from '../store/audit';
import type { Page } from '../store/paging';
import type { ServiceDeps } from './deps';

export type { AuditEvent, AuditFilter };


/** A tenant's audit events, newest first, filtered by user, action, actor and time. */
export async function listAuditEvents(
  deps: Pick<ServiceDeps, 'pool'>,
  q: AuditQuery,
): Promise<Page<AuditEvent, number>> {
  return listStoredEvents(deps.pool, q);
}

/**
 * Every matching event, newest first, one page (one keyset query) at a time: the
 * consumer pulls the next page only when it has written the last one, so an export
 * of millions of events holds one page in memory.
 */
export async function* exportAuditEvents(deps: Pick<ServiceDeps, 'pool' | 'auditExportPageSize'>, filter: AuditFilter): AsyncGenerator<AuditEvent[]> {
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await listStoredEvents(deps.pool, { ...filter, limit: deps.auditExportPageSize, beforeSeq });
    if (page.items.length > 0) yield page.items;
    if (page.next === undefined) return;
    beforeSeq = page.next;
  }
}
