import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_SECRET_PREFIX } from '../contract/webhooks';
import { checkWebhookUrl, pinnedLookup, type UrlPolicy } from './webhookUrl';

/**
 * Signing and sending one webhook as the Standard Webhooks specification says, with the
 * specification's own library (`standardwebhooks`): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per secret, space-separated.
 */

/** A new signing secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The `webhook-signature` header: one `v1,…` per secret, space-separated. */
export function signWebhook(secrets: readonly string[], id: string, at: Date, body: string): string {
  return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
}

export interface SendOptions {
  url: string;
  /** the event's id: the same on every attempt */
  id: string;
  body: string;
  secrets: readonly string[];
  policy: UrlPolicy;
  now: Date;
  /** per attempt (api.md: 10 s) */
  timeoutMs?: number;
  /** the most of the receiver's answer read (and kept, in part, as the last error) */
  maxAnswerBytes?: number;
}

export type SendResult =
  | { kind: 'answered'; status: number; snippet: string }
  | { kind: 'forbidden_address'; detail: string }
  | { kind: 'timeout' }
  | { kind: 'network_error'; detail: string };

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_MAX_ANSWER_BYTES = 4096;

/**
 * POST once. The host is resolved and checked here, at every attempt, and the connection
 * goes to the address checked. No redirect is followed (a 3xx is just a status); at most
 * `maxAnswerBytes` of the answer are read; the whole attempt is bounded by `timeoutMs`.
 */
export async function sendWebhook(o: SendOptions): Promise<SendResult> {
  const verdict = await checkWebhookUrl(o.url, o.policy);
  if (!verdict.ok) return { kind: 'forbidden_address', detail: verdict.reason };
  const { url, addresses } = verdict;
  const timestamp = o.now;
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'resetflow-webhooks/1',
    'webhook-id': o.id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signWebhook(o.secrets, o.id, timestamp, o.body),
    'content-length': String(Buffer.byteLength(o.body)),
  };
  const max = o.maxAnswerBytes ?? WEBHOOK_MAX_ANSWER_BYTES;
  const timeoutMs = o.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request(url, { method: 'POST', headers, lookup: pinnedLookup(addresses), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        res.destroy();
        done({ kind: 'answered', status: res.statusCode ?? 0, snippet: Buffer.concat(chunks).toString('utf8').slice(0, 200) });
      };
      res.on('data', (chunk: Buffer) => {
        if (size < max) chunks.push(chunk.subarray(0, max - size));
        size += chunk.length;
        if (size >= max) finish();
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ kind: 'timeout' });
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ kind: 'network_error', detail: err.code ?? err.message.slice(0, 100) }));
    req.end(o.body);
  });
}
