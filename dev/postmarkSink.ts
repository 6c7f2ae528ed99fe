import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { SinkMessage as MailboxMessage } from '../src/contract/devMailbox';
import { POSTMARK_BOUNCE_TYPES, type PostmarkBounceType } from '../src/domain/mailDelivery';
import { html } from '../src/html';

/**
 * A local stand-in for Postmark's email API (POST /email), so the real `postmark`
 * client can run with no account: development (`npm start`) and tests use it.
 * Messages are kept in memory (and appended to a file when given one) and can be
 * read at GET /dev/mailbox. Tests can script failures the way Postmark answers them.
 *
 * With `webhooks` configured it also reports back as Postmark does: a Delivery
 * webhook for each accepted message, or, for an address at Postmark's black hole
 * domain `bounce-testing.postmarkapp.com`, the Bounce webhook its local part names
 * (`hardbounce@`, `softbounce@`, `blocked@`…, case-insensitive, `_` and `-` ignored,
 * anything else a hard bounce), posted with HTTP Basic credentials like a webhook URL's.
 */
export interface SinkMessage extends MailboxMessage {
  metadata: Record<string, string>;
}

/** A scripted answer: Postmark's HTTP status and ErrorCode (422/406 inactive recipient, 422/300 invalid address, 429, 500...). */
export interface SinkFailure {
  status: number;
  errorCode: number;
  message?: string;
}

/** What a hold or a scripted failure may pick a request by. */
export interface SinkRequestInfo {
  to: string;
  tag: string | null;
  metadata: Record<string, string>;
}

/** One request as the provider saw it, and what became of it. */
export interface SinkAttempt extends SinkRequestInfo {
  at: string;
  /** the client's TCP port: which process sent it */
  remotePort: number | undefined;
  outcome: 'accepted' | 'failed' | 'dropped' | 'held';
  status?: number;
  messageId?: string;
}

interface HeldRequest extends SinkRequestInfo {
  remotePort: number | undefined;
  resume: (how: 'accept' | 'drop') => void;
}

/** Where the sink posts its webhooks, with the credentials Postmark would put in the URL. */
export interface SinkWebhooks {
  url: string;
  user: string;
  password: string;
}

/** A webhook the sink posted, and what the receiver answered (0: not reachable, after the retries). */
export interface SinkWebhook {
  payload: Record<string, unknown>;
  status: number;
}

/** Postmark's black hole domain: mail to it bounces with the type its local part names. */
export const BOUNCE_TESTING_DOMAIN = 'bounce-testing.postmarkapp.com';

/** The bounce type an address at the black hole domain asks for (Postmark: "hardbounce@", "Hard_Bounce@", "blocked@"…), else undefined. */
export function bounceTypeFor(address: string): PostmarkBounceType | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== BOUNCE_TESTING_DOMAIN) return undefined;
  const local = address.slice(0, at).toLowerCase().replace(/[_\-.]/g, '');
  const types = Object.keys(POSTMARK_BOUNCE_TYPES) as PostmarkBounceType[];
  // every type but SpamComplaint, which Postmark's black hole does not generate; anything else: a hard bounce
  return types.find((t) => t !== 'SpamComplaint' && t.toLowerCase() === local) ?? 'HardBounce';
}

const emailSchema = z.looseObject({
  From: z.string().min(1),
  To: z.string().min(1),
  Subject: z.string(),
  TextBody: z.string().optional(),
  HtmlBody: z.string().optional(),
  Tag: z.string().optional(),
  Metadata: z.record(z.string(), z.string()).optional(),
  MessageStream: z.string().optional(),
});

export class PostmarkSink {
  readonly messages: SinkMessage[] = [];
  /** every request, in order of arrival, with its outcome */
  readonly attempts: SinkAttempt[] = [];
  private readonly failures: { failure: SinkFailure; match: ((r: SinkRequestInfo) => boolean) | undefined }[] = [];
  private holding: ((r: SinkRequestInfo) => boolean) | undefined;
  private readonly heldRequests: HeldRequest[] = [];
  private readonly events = new EventEmitter().setMaxListeners(0);
  /** requests received, answered or not (a held or failed request counts) */
  requests = 0;
  /** webhooks posted so far, with the receiver's answers */
  readonly webhooks: SinkWebhook[] = [];
  private webhookTarget: SinkWebhooks | undefined;
  private readonly outgoing = new Set<Promise<void>>();
  private bounceIds = 0;
  private server: http.Server | undefined;

  private readonly serverToken: string | undefined;

  /**
   * `serverToken`: the only X-Postmark-Server-Token `POST /email` accepts (the launchers start the sink with a
   * random one and give it to the worker), so nobody else on the machine can have it send mail or, through its
   * webhooks, report on another tenant's message. Without it any token is taken (a test's own sink).
   */
  constructor(private readonly file?: string, options: { webhooks?: SinkWebhooks; serverToken?: string } = {}) {
    this.webhookTarget = options.webhooks;
    this.serverToken = options.serverToken;
    if (file && fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.messages.push(JSON.parse(line));
    }
  }

  /** Post Postmark's webhooks for accepted messages to `target` from now on (undefined: stop). */
  configureWebhooks(target: SinkWebhooks | undefined): void {
    this.webhookTarget = target;
  }

  /** Resolves with the first webhook matching `match` that the receiver has answered. */
  waitForWebhook(match: (w: SinkWebhook) => boolean, timeoutMs = 30_000): Promise<SinkWebhook> {
    return this.until(() => this.webhooks.find(match), timeoutMs, 'no matching webhook was answered');
  }

  /** The next `n` requests (matching `match`, when given) get this answer instead of being accepted. */
  failNext(failure: SinkFailure, n = 1, match?: (r: SinkRequestInfo) => boolean): void {
    for (let i = 0; i < n; i++) this.failures.push({ failure, match });
  }

  /** Hold every request (matching `match`, when given) until `releaseHeld()`: a mail provider that hangs. */
  hold(match?: (r: SinkRequestInfo) => boolean): void {
    this.holding = match ?? (() => true);
  }

  /** The requests held now. */
  get held(): readonly (SinkRequestInfo & { remotePort: number | undefined })[] {
    return this.heldRequests;
  }

  /** Stop holding; held requests (matching `match`, when given) go on and are answered as usual. */
  releaseHeld(match?: (r: SinkRequestInfo) => boolean): void {
    if (!match) this.holding = undefined;
    this.resumeHeld('accept', match);
  }

  /** Held requests (matching `match`) are never accepted: their connection is closed unanswered. */
  dropHeld(match?: (r: SinkRequestInfo) => boolean): void {
    this.resumeHeld('drop', match);
  }

  private resumeHeld(how: 'accept' | 'drop', match?: (r: SinkRequestInfo) => boolean): void {
    for (const h of [...this.heldRequests]) {
      if (match && !match(h)) continue;
      this.heldRequests.splice(this.heldRequests.indexOf(h), 1);
      h.resume(how);
    }
  }

  /** Resolves once a request matching `match` is held. */
  waitForHeld(match: (r: SinkRequestInfo) => boolean, timeoutMs = 30_000): Promise<SinkRequestInfo & { remotePort: number | undefined }> {
    return this.until(() => this.heldRequests.find(match), timeoutMs, 'no matching request was held by the mail sink');
  }

  /** Resolves with the newest message matching `match`, as soon as there is one. */
  waitFor(match: (m: SinkMessage) => boolean, timeoutMs = 30_000): Promise<SinkMessage> {
    return this.until(() => [...this.messages].reverse().find(match), timeoutMs, 'no matching email arrived in the mail sink');
  }

  /** Resolves once `n` requests have reached the sink. */
  async waitForRequests(n: number, timeoutMs = 30_000): Promise<void> {
    await this.until(() => this.requests >= n || undefined, timeoutMs, `the mail sink did not see ${n} requests`);
  }

  private until<T>(probe: () => T | undefined, timeoutMs: number, failure: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        clearTimeout(timer);
        this.events.off('change', check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.events.off('change', check);
        reject(new Error(failure));
      }, timeoutMs);
      this.events.on('change', check);
      check();
    });
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.post('/email', express.json({ limit: '10mb' }), async (req, res) => {
      this.requests++;
      const body = (req.body ?? {}) as { To?: unknown; Tag?: unknown; Metadata?: unknown };
      const info: SinkRequestInfo = {
        to: typeof body.To === 'string' ? body.To : '',
        tag: typeof body.Tag === 'string' ? body.Tag : null,
        metadata: body.Metadata && typeof body.Metadata === 'object' ? (body.Metadata as Record<string, string>) : {},
      };
      const attempt: SinkAttempt = { ...info, at: new Date().toISOString(), remotePort: req.socket.remotePort, outcome: 'held' };
      this.attempts.push(attempt);
      this.notify();
      if (this.holding?.(info)) {
        const how = await new Promise<'accept' | 'drop'>((resume) => {
          this.heldRequests.push({ ...info, remotePort: req.socket.remotePort, resume });
          this.notify();
        });
        if (how === 'drop') {
          attempt.outcome = 'dropped';
          req.socket.destroy();
          return;
        }
      }
      const token = req.get('X-Postmark-Server-Token');
      if (!token || (this.serverToken !== undefined && !sameToken(token, this.serverToken))) {
        attempt.outcome = 'failed';
        attempt.status = 401;
        res.status(401).json({ ErrorCode: 10, Message: token ? 'The Server API token is not valid.' : 'No Account or Server API tokens were supplied in the HTTP headers.' });
        return;
      }
      const scripted = this.failures.findIndex((f) => !f.match || f.match(info));
      if (scripted >= 0) {
        const { failure } = this.failures.splice(scripted, 1)[0]!;
        attempt.outcome = 'failed';
        attempt.status = failure.status;
        res.status(failure.status).json({ ErrorCode: failure.errorCode, Message: failure.message ?? 'Scripted failure' });
        return;
      }
      const parsed = emailSchema.safeParse(req.body);
      if (!parsed.success) {
        attempt.outcome = 'failed';
        attempt.status = 422;
        res.status(422).json({ ErrorCode: 300, Message: 'Invalid email request' });
        return;
      }
      const m = parsed.data;
      if (!/^[^@\s]+@[^@\s]+$/.test(m.To)) {
        attempt.outcome = 'failed';
        attempt.status = 422;
        res.status(422).json({ ErrorCode: 300, Message: `Error parsing 'To': Illegal email address '${m.To}'.` });
        return;
      }
      const message: SinkMessage = {
        id: randomUUID(),
        receivedAt: new Date().toISOString(),
        from: m.From,
        to: m.To,
        subject: m.Subject,
        textBody: m.TextBody ?? '',
        htmlBody: m.HtmlBody ?? '',
        tag: m.Tag ?? null,
        metadata: m.Metadata ?? {},
      };
      this.messages.push(message);
      attempt.outcome = 'accepted';
      attempt.status = 200;
      attempt.messageId = message.id;
      if (this.file) fs.appendFileSync(this.file, JSON.stringify(message) + '\n');
      this.notify();
      res.json({ To: m.To, SubmittedAt: message.receivedAt, MessageID: message.id, ErrorCode: 0, Message: 'OK' });
      if (this.webhookTarget) this.report(this.webhookTarget, message, m.MessageStream ?? 'outbound');
    });
    // the mailbox holds every tenant's reset links: only for a request addressed to this machine by name
    // (a web page that rebinds its own DNS name to 127.0.0.1 sends its own Host)
    app.use('/dev/mailbox', (req, res, next) => {
      const host = (req.get('host') ?? '').toLowerCase().replace(/:\d+$/, '');
      if (!['localhost', '127.0.0.1', '[::1]'].includes(host)) {
        res.status(404).json({ error: 'not found' });
        return;
      }
      next();
    });
    app.get('/dev/mailbox', (req, res) => {
      const to = typeof req.query['to'] === 'string' ? req.query['to'].toLowerCase() : undefined;
      const items = [...this.messages].reverse().filter((m) => !to || m.to.toLowerCase() === to);
      res.set('Cache-Control', 'no-store');
      if (req.accepts(['json', 'html']) === 'html') {
        res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        res.type('html').send(mailboxPage(items).value);
      } else {
        res.json({ items });
      }
    });
    app.get('/dev/mailbox/:id', (req, res) => {
      const m = this.messages.find((x) => x.id === req.params.id);
      if (!m) {
        res.status(404).json({ error: 'no such message' });
        return;
      }
      res.set('Cache-Control', 'no-store');
      // an email's HTML is whatever the sender wrote: shown sandboxed (an opaque origin, no script, no form),
      // never with the mailbox's own origin, which lists every message
      res.set('Content-Security-Policy', "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'");
      if (req.accepts(['json', 'html']) === 'html') res.type('html').send(m.htmlBody || html`<pre>${m.textBody}</pre>`.value);
      else res.json(m);
    });
    return app;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    const server = http.createServer(this.app());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return { host, port: (server.address() as AddressInfo).port };
  }

  /** The webhook Postmark would post for this message, sent after the API answered (as Postmark's come later). */
  private report(target: SinkWebhooks, m: SinkMessage, stream: string): void {
    const bounce = bounceTypeFor(m.to);
    const at = new Date().toISOString();
    const common = { MessageStream: stream, MessageID: m.id, ServerID: 1, Tag: m.tag ?? '', Metadata: m.metadata };
    const payload: Record<string, unknown> = bounce
      ? {
        RecordType: 'Bounce', ...common, ID: ++this.bounceIds, Type: bounce, TypeCode: POSTMARK_BOUNCE_TYPES[bounce].code,
        Name: POSTMARK_BOUNCE_TYPES[bounce].name, Description: POSTMARK_BOUNCE_TYPES[bounce].description, Details: 'Test bounce details',
        Email: m.to, From: m.from, BouncedAt: at, DumpAvailable: false, Inactive: bounce === 'HardBounce', CanActivate: true, Subject: m.subject,
      }
      : { RecordType: 'Delivery', ...common, Recipient: m.to, DeliveredAt: at, Details: 'Delivered by the resetflow dev mail sink' };
    const sending = this.post(target, payload).finally(() => this.outgoing.delete(sending));
    this.outgoing.add(sending);
  }

  /** POST one webhook, retried a few times with back-off while the receiver is not up or answers non-2xx (Postmark retries too). */
  private async post(target: SinkWebhooks, payload: Record<string, unknown>): Promise<void> {
    const authorization = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`;
    let status = 0;
    for (let attempt = 0; attempt < 5 && !this.closing; attempt++) {
      if (attempt > 0) await this.pause(250 * 2 ** attempt);
      try {
        const res = await fetch(target.url, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10_000) });
        status = res.status;
        await res.arrayBuffer();
        if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) break;
      } catch {
        status = 0;
      }
    }
    this.webhooks.push({ payload, status });
    this.notify();
  }

  private closing = false;
  private wake: (() => void) | undefined;
  private readonly closed = new Promise<void>((resolve) => (this.wake = resolve));

  /** A back-off pause that `close()` cuts short. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((r) => (timer = setTimeout(r, ms))), this.closed]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await Promise.allSettled([...this.outgoing]);
    this.holding = undefined;
    this.dropHeld();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private notify(): void {
    this.events.emit('change');
  }
}

/** Equal, in time that depends on neither value. */
function sameToken(a: string, b: string): boolean {
  const digest = (x: string) => createHash('sha256').update(x).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function mailboxPage(items: SinkMessage[]) {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>resetflow dev mailbox</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}li{margin:.5rem 0}small{color:#555}</style></head>
<body><h1>Dev mailbox</h1><p>${items.length} message(s), newest first. Nothing here leaves this machine.</p><ul>
${items.map((m) => html`<li><a href="/dev/mailbox/${m.id}">${m.subject}</a> → ${m.to} <small>${m.receivedAt}</small></li>`)}
</ul></body></html>`;
}
