import type { Delivery, ResetState } from './api/types';

/**
 * A reset email's delivery, in words, for the user page and the Resets page:
 * "Delivered 09:14", "Bounced: mailbox does not exist — the link was cancelled".
 */

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "09:14" today, "3 May, 09:14" otherwise. */
export function clock(iso: string, now = new Date()): string {
  const d = new Date(iso);
  return d.toDateString() === now.toDateString() ? time.format(d) : dayAndTime.format(d);
}

/** Postmark's bounce types, as a helpdesk would say them. */
const BOUNCES: Record<string, string> = {
  HardBounce: 'mailbox does not exist',
  BadEmailAddress: 'the address is not valid',
  ManuallyDeactivated: 'the address was deactivated at the mail provider',
  SpamNotification: 'the receiving server classified it as spam',
  SpamComplaint: 'the user marked it as spam',
  SoftBounce: 'mailbox full or temporarily unavailable',
  Transient: 'delayed by the receiving server',
  DnsError: 'the receiving domain could not be found for now',
  Blocked: 'blocked by the receiving server',
  AutoResponder: 'an automatic reply (out of office)',
  ChallengeVerification: 'the receiving server asks to verify the sender',
  DMARCPolicy: "refused under the sender domain's DMARC policy",
  Unknown: 'the reason could not be classified',
};

/** Why a bounced or complained email did not arrive, in words. */
export function bounceReason(d: { bounceType?: string | undefined; detail?: string | undefined }): string {
  return (d.bounceType ? BOUNCES[d.bounceType] : undefined) ?? d.detail ?? 'the receiving server refused it';
}

const REFUSALS: Record<string, string> = {
  inactive_recipient: 'the mail provider has deactivated this address',
  invalid_address: 'the address is not valid',
};

export type Tone = 'ok' | 'warn' | 'bad' | 'info';

/** The delivery line and its tone; `reset` says what became of the link, when the email ended it. */
export function deliveryText(d: Delivery, reset?: ResetState): { text: string; tone: Tone } {
  const when = d.at ? ` ${clock(d.at)}` : '';
  const cancelled = reset === 'cancelled' ? ' — the link was cancelled' : '';
  switch (d.state) {
    case 'pending':
      return { text: 'Not sent yet', tone: 'info' };
    case 'sent':
      return { text: `Sent${when}, waiting for the mail provider's report`, tone: 'info' };
    case 'delivered':
      return { text: `Delivered${when}`, tone: 'ok' };
    case 'bounced':
      return reset === 'cancelled'
        ? { text: `Bounced: ${bounceReason(d)}${cancelled}`, tone: 'bad' }
        : { text: `Bounced: ${bounceReason(d)}${reset === 'pending' ? ' — the link still works if it arrives later' : ''}`, tone: 'warn' };
    case 'complained':
      return { text: `Marked as spam by the user${cancelled}`, tone: 'bad' };
    case 'failed':
      return { text: `Not sent: ${REFUSALS[d.detail ?? d.error ?? ''] ?? d.detail ?? d.error ?? 'the mail provider refused it'}${cancelled}`, tone: 'bad' };
  }
}

export const RESET_STATES: Record<ResetState, string> = {
  pending: 'Pending',
  completed: 'Completed',
  expired: 'Expired',
  superseded: 'Replaced by a newer link',
  cancelled: 'Cancelled',
};
