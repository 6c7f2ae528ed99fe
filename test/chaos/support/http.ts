import http from 'node:http';

export interface Answer<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: T;
  text: string;
  /** from sending the request to the end of the answer */
  ms: number;
}

export interface CallOptions {
  body?: unknown;
  /** bearer token; undefined: none */
  auth?: string | undefined;
  headers?: Record<string, string>;
  /** give up (status 0) after this long */
  timeoutMs?: number;
}

/**
 * The HTTP contract, as a client sees it, against one API process. Each scenario calls from its
 * own loopback address (127.0.0.x), so the per-IP rate limits one scenario spends are not
 * another's; the API sees that address as the client's IP, as it would a real client's.
 */
export class Api {
  constructor(
    readonly name: string,
    readonly baseUrl: string,
    private readonly localAddress: string,
  ) {}

  /** The same API seen from another address. */
  from(localAddress: string): Api {
    return new Api(this.name, this.baseUrl, localAddress);
  }

  call<T = any>(method: string, path: string, o: CallOptions = {}): Promise<Answer<T>> {
    const url = new URL(path, this.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (o.auth) headers['authorization'] = `Bearer ${o.auth}`;
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const started = Date.now();
    return new Promise((resolve) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: this.localAddress, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T, text, ms: Date.now() - started });
          });
          res.on('error', (err) => resolve({ status: 0, headers: {}, body: undefined as T, text: String(err), ms: Date.now() - started }));
        },
      );
      req.setTimeout(o.timeoutMs ?? 60_000, () => req.destroy(new Error('client timeout')));
      req.on('error', (err) => resolve({ status: 0, headers: {}, body: undefined as T, text: String(err), ms: Date.now() - started }));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

/** Retry a call while it answers 503 (or nothing), as a well-behaved client does, honouring Retry-After up to `maxWaitMs`. */
export async function untilNot503<T = any>(call: () => Promise<Answer<T>>, o: { timeoutMs: number; maxWaitMs?: number }): Promise<Answer<T>> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const answer = await call();
    if ((answer.status !== 503 && answer.status !== 0) || Date.now() > deadline) return answer;
    const retryAfter = Number(answer.headers['retry-after'] ?? 1);
    await new Promise((r) => setTimeout(r, Math.min((Number.isFinite(retryAfter) ? retryAfter : 1) * 1000, o.maxWaitMs ?? 2000)));
  }
}
