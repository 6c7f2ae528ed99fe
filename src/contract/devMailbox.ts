import { z } from 'zod';

/**
 * One email of the development mailbox, declared once: the local mail sink keeps it and serves it
 * (dev/postmarkSink.ts), the API's reader parses the sink's answer with it (src/mail/sinkMailbox.ts),
 * and the API shows it at GET /dev/mailbox (src/services/devMailbox.ts, src/api/schemas.ts).
 */
const mailFields = {
  id: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  textBody: z.string(),
  htmlBody: z.string(),
  tag: z.string().nullable(),
};

/** An email as the sink received it: `receivedAt`, when it accepted it (ISO 8601 UTC). */
export const sinkMessageSchema = z.object({ ...mailFields, receivedAt: z.string() });
export type SinkMessage = z.infer<typeof sinkMessageSchema>;

/** The same email as the API's GET /dev/mailbox shows it, in api.md's names. */
export const devMailSchema = z.object({
  ...mailFields,
  /** when the mail sink accepted the message (api.md's name) */
  sentAt: z.string(),
  /** the same instant, as the sink names it */
  receivedAt: z.string(),
});
export type DevMail = z.infer<typeof devMailSchema>;

/** An email of the sink in the API's names. */
export function devMail(m: SinkMessage): DevMail {
  return { id: m.id, from: m.from, to: m.to, subject: m.subject, textBody: m.textBody, htmlBody: m.htmlBody, tag: m.tag, sentAt: m.receivedAt, receivedAt: m.receivedAt };
}
