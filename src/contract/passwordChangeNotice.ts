/**
 * "Your password was changed", with a "this wasn't me" link (api.md, Password change notices):
 * the notice workflow's input, started (abandoned by its parent) after every password the user chose.
 * Ids and a timestamp only: the link's token crosses Temporal sealed, between two activities.
 */

/** How long a report link works. */
export const REPORT_LINK_TTL_SECONDS = 7 * 24 * 3600;

export interface PasswordChangedNoticeInput {
  tenantId: string;
  userId: string;
  /** when the password the notice is about was written: the link is bound to it */
  passwordSetAt: string;
}

export type PasswordChangedNoticeResult =
  | { state: 'sent' }
  | { state: 'skipped'; reason: ReportSkipReason }
  | { state: 'failed' };

/** Why no link was issued: the tenant turned notices off, the password changed again, the user is gone, or the link was already used. */
export type ReportSkipReason = 'notices_off' | 'password_changed_since' | 'user_not_found' | 'used';
