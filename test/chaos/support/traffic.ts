import type { Answer, Api } from './http';

export interface Sample {
  /** when the request was sent */
  at: number;
  api: string;
  what: string;
  status: number;
  ms: number;
  /** the problem document's code, when the answer is one */
  code: string | undefined;
  retryAfter: string | undefined;
  contentType: string | undefined;
  body: any;
  /** what the request carried that the scenario needs again (an Idempotency-Key) */
  tag: string | undefined;
}

export interface Request {
  what: string;
  call: (api: Api) => Promise<Answer & { tag?: string }>;
}

/**
 * Requests that keep arriving through an outage: one every `everyMs`, each kind on each API replica
 * in turn, sent without waiting for the one before (a slow answer does not slow the arrivals).
 */
export class Traffic {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private n = 0;

  constructor(private readonly apis: readonly Api[], private readonly requests: readonly Request[], private readonly everyMs = 250) {}

  start(): this {
    this.timer = setInterval(() => this.fire(), this.everyMs);
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  /** Samples of `what` (all kinds when omitted) sent in [from, to). */
  between(from: number, to: number, what?: string): Sample[] {
    return this.samples.filter((s) => s.at >= from && s.at < to && (!what || s.what === what));
  }

  private fire(): void {
    const request = this.requests[this.n % this.requests.length]!;
    const api = this.apis[Math.floor(this.n / this.requests.length) % this.apis.length]!;
    this.n++;
    const at = Date.now();
    const p = request.call(api).then((a) => {
      this.samples.push({
        at, api: api.name, what: request.what, status: a.status, ms: a.ms,
        code: typeof a.body === 'object' ? a.body?.code : undefined,
        retryAfter: a.headers['retry-after'] as string | undefined,
        contentType: a.headers['content-type'] as string | undefined,
        body: a.body,
        tag: a.tag,
      });
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** "GET /readyz: 200×4; POST …: 503×40 (p50 12 ms)": what each kind of request answered in a window. */
export function describeAnswers(samples: readonly Sample[]): string {
  const kinds = [...new Set(samples.map((s) => s.what))];
  return kinds.map((k) => {
    const mine = samples.filter((s) => s.what === k);
    const byStatus = new Map<string, number[]>();
    for (const s of mine) {
      const label = `${s.status}${s.code ? ` ${s.code}` : ''}`;
      byStatus.set(label, [...(byStatus.get(label) ?? []), s.ms]);
    }
    return `${k}: ${[...byStatus].map(([label, ms]) => `${label} ×${ms.length} (p50 ${percentile(ms, 50)} ms)`).join(', ')}`;
  }).join('; ');
}
