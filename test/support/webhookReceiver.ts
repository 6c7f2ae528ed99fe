import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got: its headers and body exactly as sent. */
export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  json: any;
  status: number;
  at: number;
}

/**
 * A webhook receiver on 127.0.0.1 for tests and benches: records every request and answers
 * with `respond` (200 unless told otherwise). It can be stopped and started again on the same
 * port (a receiver that is down, then up).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** the answer to a request; `'hold'`: none (the request hangs, recorded with status 0, until dropHeld()) */
  respond: (req: { headers: Record<string, string>; body: string; json: any }) => number | 'hold' | { status: number; headers?: Record<string, string> } = () => 200;
  private readonly held: { destroy: () => void }[] = [];
  private server: http.Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async listen(port = this.port): Promise<string> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
        const answer = this.respond({ headers, body, json });
        if (answer === 'hold') {
          this.received.push({ headers, body, json, status: 0, at: Date.now() });
          this.held.push(res);
          return;
        }
        const { status, headers: extra } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
        this.received.push({ headers, body, json, status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'text/plain', ...extra });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.url;
  }

  /** Requests held unanswered now. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Drop every held request's connection (the sender sees a network error). */
  dropHeld(): void {
    for (const r of this.held.splice(0)) r.destroy();
  }

  async close(): Promise<void> {
    this.dropHeld();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }

  /** Requests whose JSON body has this event type. */
  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.json?.type === type);
  }
}
