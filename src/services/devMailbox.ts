import { devMail, type DevMail } from '../contract/devMailbox';
import { readSinkMailbox, SinkUnreachableError } from '../mail/sinkMailbox';
import type { ServiceDeps } from './deps';
import { DependencyUnavailable, notFound, type NotFound } from './failures';

/**
 * Every email the local mail sink received, newest first. Only while the sink is
 * the mail transport (`config.mail.sink`): with Postmark there is no mailbox to read.
 */
export async function readDevMailbox(
  deps: Pick<ServiceDeps, 'devMailboxUrl'>,
  filter: { to?: string | undefined } = {},
): Promise<{ ok: true; items: DevMail[] } | NotFound> {
  if (!deps.devMailboxUrl) return notFound('A development mailbox (there is one only while the local mail sink is the mail transport: POSTMARK_SERVER_TOKEN unset)');
  try {
    const messages = await readSinkMailbox(deps.devMailboxUrl, filter);
    const items = messages
      .map(devMail)
      // newest first, whatever order the sink keeps (ISO 8601 UTC sorts as text)
      .sort((a, b) => (a.sentAt < b.sentAt ? 1 : a.sentAt > b.sentAt ? -1 : 0));
    return { ok: true, items };
  } catch (err) {
    if (err instanceof SinkUnreachableError) throw new DependencyUnavailable('mail_sink', false, { cause: err });
    throw err;
  }
}
