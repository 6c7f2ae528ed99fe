import { z } from 'zod';
import { sinkMessageSchema, type SinkMessage } from '../contract/devMailbox';

/**
 * The local Postmark-compatible sink's own mailbox (dev/postmarkSink.ts, run by
 * `npm start` in the launcher process), read over HTTP by the API's
 * `GET /dev/mailbox`. Only used while the sink is the mail transport.
 */
const sinkMailbox = z.object({ items: z.array(sinkMessageSchema) });

/** The sink did not answer, or answered something that is not its mailbox. */
export class SinkUnreachableError extends Error {
  override name = 'SinkUnreachableError';
}

/** Every message the sink holds, newest first (as the sink keeps them), optionally only those to `to`. */
export async function readSinkMailbox(mailboxUrl: string, filter: { to?: string | undefined } = {}, timeoutMs = 5_000): Promise<SinkMessage[]> {
  const url = new URL(mailboxUrl);
  if (filter.to) url.searchParams.set('to', filter.to);
  let body: unknown;
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new SinkUnreachableError(`the mail sink answered HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    if (err instanceof SinkUnreachableError) throw err;
    throw new SinkUnreachableError('the mail sink did not answer', { cause: err });
  }
  const parsed = sinkMailbox.safeParse(body);
  if (!parsed.success) throw new SinkUnreachableError('the mail sink answered with something that is not its mailbox');
  return parsed.data.items;
}
