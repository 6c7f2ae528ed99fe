import { createHash, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * A local Pwned Passwords range API (Have I Been Pwned's k-anonymity protocol), so the breached-password check
 * works offline: `npm start`, `npm run cluster` and the tests use it. Its corpus is the common-password list
 * the policy already ships (zxcvbn's, about 49,000 passwords from breach corpora), plus whatever a test adds.
 * `GET /range/{5 hex}` answers `SUFFIX:COUNT` lines; with `Add-Padding: true`, padded with zero-count lines to
 * at least 800, as the real API does. Every request's path and padding header are kept (tests read them).
 */
export class PwnedRangeServer {
  private readonly ranges = new Map<string, Map<string, number>>();
  /** the requests received: path and whether padding was asked for */
  readonly requests: { path: string; padding: boolean; headers: http.IncomingHttpHeaders }[] = [];
  /** a test may make the server misbehave: hang, answer garbage or fail */
  mode: 'ok' | 'hang' | 'garbage' | 'error' = 'ok';
  private server: http.Server | undefined;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(passwords: Iterable<string> = dictionary['passwords-common'] as string[]) {
    for (const p of passwords) this.add(p);
  }

  /** Put a password in the corpus (a count of breaches it was seen in). */
  add(password: string, count = 42): void {
    const sha1 = createHash('sha1').update(password.normalize('NFKC'), 'utf8').digest('hex').toUpperCase();
    const prefix = sha1.slice(0, 5);
    let range = this.ranges.get(prefix);
    if (!range) this.ranges.set(prefix, (range = new Map()));
    range.set(sha1.slice(5), count);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const padding = String(req.headers['add-padding'] ?? '').toLowerCase() === 'true';
    this.requests.push({ path: req.url ?? '', padding, headers: req.headers });
    const m = /^\/range\/([0-9A-Fa-f]{5})$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) {
      res.writeHead(404).end();
      return;
    }
    if (this.mode === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (this.mode === 'error') {
      res.writeHead(503).end();
      return;
    }
    if (this.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('<html>not a range</html>');
      return;
    }
    const lines = [...(this.ranges.get(m[1]!.toUpperCase()) ?? new Map<string, number>())].map(([suffix, n]) => `${suffix}:${n}`);
    if (padding) {
      while (lines.length < 800 + randomInt(200)) lines.push(`${createHash('sha1').update(String(Math.random())).digest('hex').slice(5).toUpperCase()}:0`);
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => this.answer(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
