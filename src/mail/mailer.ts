import * as postmark from 'postmark';

export interface MailMessage {
  to: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** Postmark tag, e.g. "password-reset" */
  tag: string;
  /** ids only (tenant, user, reset): visible in Postmark's activity log */
  metadata: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/**
 * A failure that retrying cannot fix (Postmark 406 inactive recipient, 300 invalid
 * address). The message names the reason only: provider messages can carry the
 * recipient address, which must not reach workflow histories or logs.
 */
export class MailRejectedError extends Error {
  override name = 'MailRejectedError';
  constructor(
    readonly reason: 'inactive_recipient' | 'invalid_address',
    readonly providerCode: number,
  ) {
    super(`mail provider rejected the recipient: ${reason} (Postmark ErrorCode ${providerCode})`);
  }
}

/** Anything else: the provider's rate limit, a 5xx, a network error. Worth retrying. */
export class MailTransientError extends Error {
  override name = 'MailTransientError';
}

export interface PostmarkMailerOptions {
  serverToken: string;
  /** host:port of a Postmark-compatible API over plain HTTP (the local sink); unset for Postmark itself */
  apiHost?: string | undefined;
  from: string;
  messageStream: string;
  timeoutSeconds?: number;
}

export function createPostmarkMailer(opts: PostmarkMailerOptions): Mailer {
  const client = new postmark.ServerClient(opts.serverToken, {
    ...(opts.apiHost ? { requestHost: opts.apiHost, useHttps: false } : {}),
    timeout: opts.timeoutSeconds ?? 10,
  });
  return {
    async send(m) {
      try {
        const res = await client.sendEmail({
          From: opts.from,
          To: m.to,
          Subject: m.subject,
          TextBody: m.textBody,
          HtmlBody: m.htmlBody,
          Tag: m.tag,
          Metadata: m.metadata,
          MessageStream: opts.messageStream,
          TrackLinks: postmark.Models.LinkTrackingOptions.None,
          TrackOpens: false,
        });
        return { messageId: res.MessageID };
      } catch (err) {
        throw classify(err);
      }
    },
  };
}

function classify(err: unknown): Error {
  if (err instanceof postmark.Errors.PostmarkError) {
    if (err.statusCode === 422 && err.code === 406) return new MailRejectedError('inactive_recipient', 406);
    if (err.statusCode === 422 && err.code === 300) return new MailRejectedError('invalid_address', 300);
    return new MailTransientError(`mail provider answered HTTP ${err.statusCode || 'error'} (Postmark ErrorCode ${err.code})`);
  }
  return new MailTransientError('mail provider unreachable');
}
