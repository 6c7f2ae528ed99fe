import http from 'node:http';

/**
 * A lean JSON client on node:http with keep-alive connections: the load
 * generator shares the machine with what it measures, so it should cost little.
 */
export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  private readonly url: URL;

  constructor(baseUrl: string, private readonly defaultAuth?: string) {
    this.url = new URL(baseUrl);
  }

  /** Sends JSON; resolves with the parsed answer when the status is `expect`, else rejects naming both. */
  request<T = any>(method: string, path: string, o: { body?: unknown; raw?: { contentType: string; data: Buffer }; auth?: string | null; expect: number }): Promise<T> {
    const payload = o.raw ? o.raw.data : o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    const auth = o.auth === undefined ? this.defaultAuth : o.auth;
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = o.raw?.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    if (auth) headers['authorization'] = `Bearer ${auth}`;
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        { host: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== o.expect) {
              reject(new Error(`${method} ${path.replace(/\?.*/, '')}: HTTP ${res.statusCode} (expected ${o.expect}) ${text.slice(0, 300)}`));
              return;
            }
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch {
              resolve(text as T);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
