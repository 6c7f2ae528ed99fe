import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { OpenTelemetryWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from '../observability/tracing';

/**
 * @temporalio/interceptors-opentelemetry, wired in only when this process
 * traces (src/observability/tracing.ts): the client's spans (start, update,
 * signal) carry the HTTP request's context into the workflow's headers; the
 * workflow's own spans (run, update handlers, activity scheduling) come from
 * the interceptor module in the traced workflow bundle and leave the sandbox
 * through the `exporter` sink; each activity runs in a span whose parent is its
 * scheduling in the workflow. Spans carry workflow and activity ids and types,
 * never payloads.
 */

type Otel = typeof import('@temporalio/interceptors-opentelemetry');
const load = (): Otel => require('@temporalio/interceptors-opentelemetry') as Otel;

/** The workflow interceptor module: built into dist/workflow-bundle-traced.js, or given to the worker when it bundles at start. */
export const WORKFLOW_TRACING_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function clientTracingInterceptors(): WorkflowClientInterceptor[] {
  if (!activeTracing()) return [];
  return [new (load().OpenTelemetryWorkflowClientInterceptor)()];
}

export interface WorkerTracing {
  interceptors: WorkerInterceptors;
  sinks: InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }>;
}

/** The worker's share: activity interceptors, the workflow-span sink, the workflow interceptor module. Undefined when not tracing. */
export function workerTracing(): WorkerTracing | undefined {
  const tracing = activeTracing();
  if (!tracing) return undefined;
  const otel = load();
  return {
    interceptors: {
      activity: [(ctx) => ({ inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx), outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx) })],
      workflowModules: [WORKFLOW_TRACING_MODULE],
    },
    sinks: { exporter: otel.makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
