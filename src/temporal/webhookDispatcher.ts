import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PoolClient } from 'pg';
import { workflowIds } from '../contract/workflowIds';
import { searchAttributes } from '../contract/searchAttributes';
import type { WebhookDeliveryInput } from '../contract/webhooks';
import { inTransaction, type Pool } from '../db/pool';
import type { Logger } from '../log';
import { claimUndispatched, markDispatched, type WebhookDeliveryRow } from '../store/webhooks';
import type * as workflows from '../workflows';

/**
 * The outbox's drain: starts one `webhookDeliveryWorkflow` per delivery row no workflow was
 * started for yet (`dispatched = false`), then marks the rows. Rows are written in the audit
 * row's transaction (a trigger), so an event and its deliveries never diverge; this loop runs
 * in every worker process, woken by PostgreSQL's NOTIFY at commit and, whatever is missed
 * (a lost connection, a crash between start and mark), by a sweep every `intervalMs`. Rows are
 * claimed FOR UPDATE SKIP LOCKED, so several workers share the work; a start repeated after a
 * crash is refused by Temporal (REJECT_DUPLICATE on the delivery's own workflow id), never
 * run twice.
 */
export interface WebhookDispatcherOptions {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  retryScheduleSeconds: number[];
  intervalMs: number;
  log: Logger;
  /** rows per claim */
  batchSize?: number;
  /** only these tenants' deliveries (a test's worker shares its database with other test files) */
  tenantIds?: () => readonly string[];
}

export interface WebhookDispatcher {
  /** sweep now (and wait for it) */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export function startWebhookDispatcher(o: WebhookDispatcherOptions): WebhookDispatcher {
  const batchSize = o.batchSize ?? 200;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let listener: PoolClient | undefined;
  let reconnect: NodeJS.Timeout | undefined;

  const start = async (d: WebhookDeliveryRow) => {
    const input: WebhookDeliveryInput = {
      tenantId: d.tenantId, endpointId: d.endpointId, deliveryId: d.id, eventType: d.eventType, generation: d.generation,
      retryScheduleSeconds: o.retryScheduleSeconds,
    };
    try {
      await o.temporal.workflow.start<typeof workflows.webhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
        taskQueue: o.taskQueue,
        workflowId: workflowIds.webhookDelivery(d.id, d.generation),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
        typedSearchAttributes: [
          { key: searchAttributes.tenantId, value: d.tenantId },
          { key: searchAttributes.webhookEndpointId, value: d.endpointId },
          { key: searchAttributes.eventType, value: d.eventType },
        ],
        staticSummary: `Webhook ${d.eventType} to endpoint ${d.endpointId}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  /** One claim: returns how many rows it started. */
  const claimOnce = async (): Promise<number> => {
    const tenantIds = o.tenantIds?.();
    if (tenantIds && tenantIds.length === 0) return 0;
    return inTransaction(o.pool, async (c) => {
      const rows = await claimUndispatched(c, { limit: batchSize, tenantIds });
      if (rows.length === 0) return 0;
      await Promise.all(rows.map(start));
      await markDispatched(c, rows);
      return rows.length;
    });
  };

  const drain = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await claimOnce()) === batchSize) {
          // a full batch: there may be more
        }
      } catch (err) {
        o.log.warn('webhook dispatcher: a sweep failed; the next one retries', { error: String(err).slice(0, 300) });
      }
    } while (again && !stopped);
  };

  const sweep = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
    });
    return running;
  };

  const listen = async () => {
    if (stopped) return;
    try {
      const client = await o.pool.connect();
      if (stopped) {
        client.release();
        return;
      }
      listener = client;
      client.on('notification', () => void sweep());
      client.on('error', () => {
        client.release(true);
        if (listener === client) listener = undefined;
        if (!stopped) reconnect = setTimeout(() => void listen(), 1000);
      });
      await client.query('LISTEN webhook_deliveries');
      void sweep();
    } catch {
      if (!stopped) reconnect = setTimeout(() => void listen(), 1000);
    }
  };

  const timer = setInterval(() => void sweep(), o.intervalMs);
  void listen();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (reconnect) clearTimeout(reconnect);
      await running;
      if (listener) {
        const l = listener;
        listener = undefined;
        try {
          await l.query('UNLISTEN *');
          l.release();
        } catch {
          l.release(true);
        }
      }
    },
  };
}
