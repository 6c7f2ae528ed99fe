import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';

export interface ActivityRun {
  type: string;
  /** the attempt that closed it (Temporal writes the started event of a retried activity with its final attempt) */
  attempt: number;
  outcome: 'completed' | 'failed' | 'timed_out' | 'canceled' | 'open';
  result?: any;
  scheduledAt: number;
  closedAt?: number;
}

export interface WorkflowFacts {
  workflowId: string;
  runId: string;
  type: string;
  status: 'running' | 'completed' | 'failed' | 'terminated' | 'timed_out' | 'canceled' | 'continued_as_new';
  closeEvents: number;
  result?: any;
  activities: ActivityRun[];
  /** ResetState as started, then as each upsert set it */
  resetStates: string[];
  startedAt: number;
  closedAt?: number;
  workflowTaskFailures: number;
  /** how many timers the workflow started, and when each fired */
  timersStarted: number;
  timersFired: number[];
}

const decode = (p: Payload | null | undefined): any => (p ? defaultPayloadConverter.fromPayload(p) : undefined);
const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  t ? Number(String(t.seconds ?? 0)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;

/** Every run of every workflow of these tenants (search attribute TenantId), each read from its history. */
export async function tenantWorkflows(client: Client, tenants: readonly string[]): Promise<WorkflowFacts[]> {
  if (tenants.length === 0) return [];
  const query = tenants.map((t) => `TenantId = "${t}"`).join(' OR ');
  const out: WorkflowFacts[] = [];
  for await (const w of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    out.push(facts(w.workflowId, w.runId, w.type, history.events ?? []));
  }
  return out;
}

function facts(workflowId: string, runId: string, type: string, events: any[]): WorkflowFacts {
  const f: WorkflowFacts = { workflowId, runId, type, status: 'running', closeEvents: 0, activities: [], resetStates: [], startedAt: 0, workflowTaskFailures: 0, timersStarted: 0, timersFired: [] };
  const bySchedule = new Map<string, ActivityRun>();
  const close = (status: WorkflowFacts['status'], e: any) => {
    f.status = status;
    f.closeEvents++;
    f.closedAt = ms(e.eventTime);
  };
  for (const e of events) {
    const id = String(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) {
      f.startedAt = ms(e.eventTime);
      const sa = e.workflowExecutionStartedEventAttributes.searchAttributes?.indexedFields?.['ResetState'];
      if (sa) f.resetStates.push(String(decode(sa)));
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const sa = e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields?.['ResetState'];
      if (sa) f.resetStates.push(String(decode(sa)));
    } else if (e.activityTaskScheduledEventAttributes) {
      bySchedule.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', attempt: 1, outcome: 'open', scheduledAt: ms(e.eventTime) });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = bySchedule.get(String(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (a) a.attempt = e.activityTaskStartedEventAttributes.attempt ?? 1;
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = bySchedule.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { outcome: 'completed', result: decode(e.activityTaskCompletedEventAttributes.result?.payloads?.[0]), closedAt: ms(e.eventTime) });
    } else if (e.activityTaskFailedEventAttributes) {
      const a = bySchedule.get(String(e.activityTaskFailedEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { outcome: 'failed', closedAt: ms(e.eventTime) });
    } else if (e.activityTaskTimedOutEventAttributes) {
      const a = bySchedule.get(String(e.activityTaskTimedOutEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { outcome: 'timed_out', closedAt: ms(e.eventTime) });
    } else if (e.activityTaskCanceledEventAttributes) {
      const a = bySchedule.get(String(e.activityTaskCanceledEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { outcome: 'canceled', closedAt: ms(e.eventTime) });
    } else if (e.timerStartedEventAttributes) {
      f.timersStarted++;
    } else if (e.timerFiredEventAttributes) {
      f.timersFired.push(ms(e.eventTime));
    } else if (e.workflowTaskFailedEventAttributes) {
      f.workflowTaskFailures++;
    } else if (e.workflowExecutionCompletedEventAttributes) {
      close('completed', e);
      f.result = decode(e.workflowExecutionCompletedEventAttributes.result?.payloads?.[0]);
    } else if (e.workflowExecutionFailedEventAttributes) close('failed', e);
    else if (e.workflowExecutionTerminatedEventAttributes) close('terminated', e);
    else if (e.workflowExecutionTimedOutEventAttributes) close('timed_out', e);
    else if (e.workflowExecutionCanceledEventAttributes) close('canceled', e);
    else if (e.workflowExecutionContinuedAsNewEventAttributes) close('continued_as_new', e);
  }
  f.activities = [...bySchedule.values()];
  return f;
}
