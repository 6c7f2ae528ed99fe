import type { DeliveryState } from '../contract/vocabulary';

/**
 * What a reset email's delivery means: Postmark's bounce types, which of them end
 * a pending link, and how a new report combines with what is already known.
 */

/** Postmark's bounce types (Bounce API reference: Type, TypeCode, name and description). */
export const POSTMARK_BOUNCE_TYPES = {
  HardBounce: { code: 1, name: 'Hard bounce', description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).' },
  Transient: { code: 2, name: 'Message delayed', description: 'The server could not temporarily deliver your message (ex: Message is delayed due to network troubles).' },
  Unsubscribe: { code: 16, name: 'Unsubscribe request', description: 'Unsubscribe or Remove request.' },
  Subscribe: { code: 32, name: 'Subscribe request', description: 'Subscribe request from someone wanting to get added to the mailing list.' },
  AutoResponder: { code: 64, name: 'Auto responder', description: 'Automatic email responder (ex: "Out of Office" or "On Vacation").' },
  AddressChange: { code: 128, name: 'Address change', description: 'The recipient has requested an address change.' },
  DnsError: { code: 256, name: 'DNS error', description: 'A temporary DNS error.' },
  SpamNotification: { code: 512, name: 'Spam notification', description: 'The message was delivered, but was either blocked by the user, or classified as spam, bulk mail, or had rejected content.' },
  OpenRelayTest: { code: 1024, name: 'Open relay test', description: 'The NDR is actually a test email message to see if the mail server is an open relay.' },
  Unknown: { code: 2048, name: 'Unknown', description: 'Unable to classify the NDR.' },
  SoftBounce: { code: 4096, name: 'Soft bounce', description: 'Unable to temporarily deliver message (i.e. mailbox full, account disabled, exceeds quota, out of disk space).' },
  VirusNotification: { code: 8192, name: 'Virus notification', description: 'The bounce is actually a virus notification warning about a virus/code infected message.' },
  ChallengeVerification: { code: 16384, name: 'Spam challenge verification', description: 'The bounce is a challenge asking for verification you actually sent the email.' },
  BadEmailAddress: { code: 100000, name: 'Invalid email address', description: 'The address is not a valid email address.' },
  SpamComplaint: { code: 100001, name: 'Spam complaint', description: 'The subscriber explicitly marked this email as spam.' },
  ManuallyDeactivated: { code: 100002, name: 'Manually deactivated', description: 'The email was manually deactivated.' },
  Unconfirmed: { code: 100003, name: 'Registration not confirmed', description: 'The subscriber has not clicked on the confirmation link upon registration or import.' },
  Blocked: { code: 100006, name: 'ISP block', description: 'Blocked from this ISP due to content or blacklisting.' },
  SMTPApiError: { code: 100007, name: 'SMTP API error', description: 'An error occurred while accepting an email through the SMTP API.' },
  InboundError: { code: 100008, name: 'Processing failed', description: 'Unable to deliver inbound message to destination inbound hook.' },
  DMARCPolicy: { code: 100009, name: 'DMARC Policy', description: 'Email rejected due DMARC Policy.' },
  TemplateRenderingFailed: { code: 100010, name: 'Template rendering failed', description: 'An error occurred while attempting to render your template.' },
} as const;
export type PostmarkBounceType = keyof typeof POSTMARK_BOUNCE_TYPES;

/**
 * Bounces after which this address will not get the link: the mailbox does not exist,
 * the address is invalid or deactivated (Postmark deactivates hard bounces and spam
 * complaints), or the recipient's side rejected it as spam. Every other type (soft
 * bounce, delay, DNS error, auto-responder, ISP block…) is recorded and the link stays
 * pending: the email may still arrive, or the user may ask again.
 */
const PERMANENT_BOUNCES: ReadonlySet<string> = new Set<PostmarkBounceType>(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'SpamNotification', 'SpamComplaint']);

/** A hard bounce or a spam complaint: ends a pending link. */
export function isPermanentFailure(d: { state: DeliveryState; bounceType?: string | null | undefined }): boolean {
  return d.state === 'complained' || (d.state === 'bounced' && PERMANENT_BOUNCES.has(d.bounceType ?? ''));
}

/** Provider texts may quote the recipient ("550 <jane@example.com>: no such user"): addresses never leave the edge. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g, '[address]');
}

export interface Delivery {
  state: DeliveryState;
  /** when the email was handed over, delivered, bounced or refused */
  at: Date | null;
  /** in words: the provider's description, or why it refused */
  detail: string | null;
  /** Postmark's bounce type, for bounces and complaints */
  bounceType: string | null;
}

const REPORTED: ReadonlySet<DeliveryState> = new Set(['delivered', 'bounced', 'complained']);

/** Nothing after it can change the outcome: a refusal, a hard bounce, a complaint. */
function settled(d: Delivery): boolean {
  return d.state === 'failed' || isPermanentFailure(d);
}

/**
 * What we know after `next`: a settled delivery stays; "sent" only follows "pending"
 * (a webhook can overtake the activity that records the hand-over); of two provider
 * reports the later one wins (Postmark does not promise order), except that a settled
 * one always does. Applying the same report twice gives the same result.
 */
export function mergeDelivery(current: Delivery, next: Delivery): Delivery {
  if (settled(current)) return current;
  if (next.state === 'pending') return current;
  if (next.state === 'sent') return current.state === 'pending' ? next : current;
  if (!settled(next) && REPORTED.has(current.state) && current.at && next.at && next.at < current.at) return current;
  return next;
}

export function sameDelivery(a: Delivery, b: Delivery): boolean {
  return a.state === b.state && a.at?.getTime() === b.at?.getTime() && a.detail === b.detail && a.bounceType === b.bounceType;
}

/** A delivery as the API shows it: `{ state, at?, detail?, bounceType? }` (timestamps in ISO 8601). */
export interface DeliveryView {
  state: DeliveryState;
  at?: string;
  detail?: string;
  bounceType?: string;
}

export function deliveryView(d: Delivery): DeliveryView {
  return {
    state: d.state,
    ...(d.at ? { at: d.at.toISOString() } : {}),
    ...(d.detail ? { detail: d.detail } : {}),
    ...(d.bounceType ? { bounceType: d.bounceType } : {}),
  };
}
