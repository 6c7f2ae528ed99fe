import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OTLP/HTTP trace receiver (what an OpenTelemetry Collector's 4318 port
 * does), for tests and `npm run trace:demo`: it accepts `POST /v1/traces` in both
 * OTLP/HTTP encodings, JSON (`http/json`) and protobuf (`http/protobuf`, decoded
 * with the proto definitions the exporter packages ship), and keeps every span.
 */

export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  status: { code?: number; message?: string };
}

type AnyValue = {
  stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number;
  arrayValue?: { values?: AnyValue[] }; kvlistValue?: { values?: KeyValue[] }; bytesValue?: unknown;
};
type KeyValue = { key: string; value?: AnyValue };
type OtlpSpan = {
  traceId: unknown; spanId: unknown; parentSpanId?: unknown; name: string; kind?: number;
  startTimeUnixNano?: unknown; endTimeUnixNano?: unknown; attributes?: KeyValue[];
  events?: { name: string; attributes?: KeyValue[] }[]; status?: { code?: number; message?: string };
};
type ExportRequest = {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[] }[];
};

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** every request as received, decoded to JSON text (to search for what must never be there) */
  readonly bodies: string[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async listen(port = 0): Promise<{ endpoint: string }> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return { endpoint: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}` };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Wait until `probe` finds what it looks for among the spans received so far. */
  async waitFor<T>(probe: (spans: ReceivedSpan[]) => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe(this.spans);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${this.spans.length} spans received)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = Buffer.concat(chunks);
        const json = (req.headers['content-type'] ?? '').includes('json');
        const request = json ? (JSON.parse(body.toString('utf8')) as ExportRequest) : decodeProtobuf(body);
        this.bodies.push(json ? body.toString('utf8') : JSON.stringify(request, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
        this.spans.push(...flatten(request));
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : undefined);
      } catch (err) {
        res.writeHead(400).end(String(err));
      }
    });
  }
}

function decodeProtobuf(body: Buffer): ExportRequest {
  // the generated OTLP proto definitions @opentelemetry/otlp-transformer ships (a dependency of the exporters)
  const root = require('@opentelemetry/otlp-transformer/build/src/generated/root');
  const type = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  return type.toObject(type.decode(body), { longs: String }) as ExportRequest;
}

function id(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'string') return /^[0-9a-f]+$/i.test(v) ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex');
  return Buffer.from(v as Uint8Array).toString('hex');
}

function value(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  return v.bytesValue;
}

function attributes(kvs: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key, value(kv.value)]));
}

function flatten(request: ExportRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const service = String(attributes(rs.resource?.attributes)['service.name'] ?? '');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const parent = id(s.parentSpanId);
        out.push({
          service,
          scope: ss.scope?.name ?? '',
          traceId: id(s.traceId),
          spanId: id(s.spanId),
          parentSpanId: parent || undefined,
          name: s.name,
          kind: s.kind ?? 0,
          startNs: BigInt(String(s.startTimeUnixNano ?? 0)),
          endNs: BigInt(String(s.endTimeUnixNano ?? 0)),
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, attributes: attributes(e.attributes) })),
          status: s.status ?? {},
        });
      }
    }
  }
  return out;
}
