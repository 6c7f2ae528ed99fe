import type { IncomingMessage, RequestOptions } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';

/**
 * OpenTelemetry tracing, configured by the standard OTEL_* variables only.
 * Started when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
 * is set and OTEL_SDK_DISABLED is not `true`; otherwise nothing is loaded and
 * nothing runs. Each entry point starts it before anything else loads
 * (startApiTracing.ts, startWorkerTracing.ts), so the http and pg
 * instrumentations see those modules load.
 *
 * What a span may carry: HTTP server and client spans the method, the route
 * template and the path without its query string (`/reset-password?token=…`
 * becomes `/reset-password`); no header is captured (Authorization, Cookie)
 * and no body. SQL spans the statement text with its `$n` placeholders, never
 * the parameter values. Temporal spans (src/temporal/tracing.ts) workflow and
 * activity ids and types, never payloads. test/tracing.test.ts checks all of it.
 */

export interface Tracing {
  /** where the workflow sandbox's spans go (the worker's sink), beside this process's own */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** flush what is buffered, then stop */
  shutdown(): Promise<void>;
}

const otelEnvSchema = z.object({
  OTEL_SDK_DISABLED: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.string().optional(),
});

/** The two OTLP/HTTP encodings this build ships; OTLP/gRPC is not bundled. */
const protocolSchema = z.enum(['http/protobuf', 'http/json'], {
  error: 'must be http/protobuf or http/json (OTLP over gRPC is not bundled: send to the collector\'s HTTP port, usually 4318)',
});

let current: Tracing | undefined;

/** Whether the OTEL_* variables ask for traces to be exported. */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const e = otelEnvSchema.parse(env);
  if (e.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (e.OTEL_TRACES_EXPORTER?.split(',').map((s) => s.trim()).includes('none')) return false;
  return Boolean(e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || e.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

/**
 * Start the SDK for this process (once), or do nothing when tracing is not
 * requested. `serviceName` is the default of OTEL_SERVICE_NAME.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (current || !tracingRequested(env)) return current;
  const e = otelEnvSchema.parse(env);
  const parsed = protocolSchema.safeParse((e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim());
  if (!parsed.success) {
    const error = new Error(`Invalid configuration:\n  OTEL_EXPORTER_OTLP_PROTOCOL: ${parsed.error.issues[0]!.message}`);
    error.name = 'ConfigError';
    throw error;
  }

  // Loaded only now: a process without OTEL_EXPORTER_OTLP_ENDPOINT never loads the SDK.
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { Resource: ResourceClass, envDetectorSync } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { OTLPTraceExporter } = (parsed.data === 'http/json'
    ? require('@opentelemetry/exporter-trace-otlp-http')
    : require('@opentelemetry/exporter-trace-otlp-proto')) as typeof import('@opentelemetry/exporter-trace-otlp-http');

  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name
  const resource = new ResourceClass({ 'service.name': serviceName }).merge(envDetectorSync.detect());
  // batching and its limits: OTEL_BSP_*; endpoint, headers, timeout, compression: OTEL_EXPORTER_OTLP_*
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // scrapes and probes would drown the traces that matter
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(pathOf(req.url ?? '/')),
        startIncomingSpanHook: incomingAttributes,
        startOutgoingSpanHook: outgoingAttributes,
        // spans of outgoing calls only inside a traced operation (no stray roots)
        requireParentforOutgoingSpans: true,
      }),
      // statement text (with its placeholders) only: enhancedDatabaseReporting would add the values
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  current = { spanProcessor, resource, shutdown: () => provider.shutdown() };
  return current;
}

/** The running tracing, if this process started it. */
export function activeTracing(): Tracing | undefined {
  return current;
}

/** Flush and stop (a no-op when tracing is off). */
export async function shutdownTracing(): Promise<void> {
  await current?.shutdown();
}

/** The span of the request being handled, when tracing is on (the HTTP server span inside a handler). */
export function activeSpan(): Span | undefined {
  if (!current) return undefined;
  const { trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  return trace.getActiveSpan();
}

/** Give an HTTP server span its route template: `POST /admin/tenants/{tenantId}/users/{userId}/password-reset-email`. */
export function nameServerSpan(span: Span, method: string, route: string): void {
  span.setAttribute('http.route', route);
  span.updateName(`${method} ${route}`);
}

const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

function pathOf(target: string): string {
  const q = target.search(/[?#]/);
  return q === -1 ? target : target.slice(0, q);
}

/** The URL attributes of an incoming request, without the query string (overrides the instrumentation's). */
function incomingAttributes(req: IncomingMessage): Record<string, string> {
  const path = pathOf(req.url ?? '/');
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  return { 'http.target': path, 'url.path': path, 'http.url': `${scheme}://${req.headers.host ?? 'localhost'}${path}` };
}

/** The same for an outgoing request (the mail provider's API). */
function outgoingAttributes(o: RequestOptions): Record<string, string> {
  const path = pathOf(o.path ?? '/');
  const host = o.hostname ?? o.host ?? 'localhost';
  const url = `${o.protocol ?? 'http:'}//${host}${o.port ? `:${o.port}` : ''}${path}`;
  return { 'http.target': path, 'http.url': url, 'url.full': url };
}
