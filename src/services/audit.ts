import { listAuditEvents as listStoredEvents, type AuditEvent } from '../store/audit';
import type { Page } from '../store/paging';
import type { ServiceDeps } from './deps';

export type { AuditEvent };

/** A tenant's audit events, newest first, filtered by user and action. */
export async function listAuditEvents(
  deps: Pick<ServiceDeps, 'pool'>,
  q: { tenantId: string; userId?: string | undefined; action?: string | undefined; limit: number; beforeSeq?: number | undefined },
): Promise<Page<AuditEvent, number>> {
  return listStoredEvents(deps.pool, q);
}
