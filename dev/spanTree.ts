import type { ReceivedSpan } from './otlpReceiver';

/**
 * One trace as a text tree (docs/observability.md; `npm run trace:demo`): each
 * span with its service, duration and the attribute that says what it did.
 */
export function renderSpanTree(spans: ReceivedSpan[], traceId: string): string {
  const trace = spans.filter((s) => s.traceId === traceId).sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const ids = new Set(trace.map((s) => s.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const s of trace) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (s: ReceivedSpan, prefix: string, last: boolean, root: boolean) => {
    lines.push(`${root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${describe(s)}`);
    const kids = children.get(s.spanId) ?? [];
    kids.forEach((k, i) => walk(k, root ? '' : `${prefix}${last ? '   ' : '│  '}`, i === kids.length - 1, false));
  };
  for (const r of children.get(undefined) ?? []) walk(r, '', true, true);
  return lines.join('\n');
}

function describe(s: ReceivedSpan): string {
  const ms = Number(s.endNs - s.startNs) / 1e6;
  const detail = s.attributes['db.statement'] ?? s.attributes['temporalWorkflowId'] ?? s.attributes['http.target'];
  const text = typeof detail === 'string' ? `  ${oneLine(detail)}` : '';
  return `${s.name}  [${s.service}, ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms]${text}`;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 72 ? `${flat.slice(0, 71)}…` : flat;
}
