import type { Approval, ApprovalAction } from '../api/types';

/** What a held reset does once approved, in the words of the Actions menu. */
export const APPROVAL_ACTIONS: Record<ApprovalAction, string> = {
  password_reset_email: 'Send password reset email',
  temporary_password: 'Set temporary password',
  force_password_reset: 'Force password reset',
};

export const APPROVAL_STATES: Record<Approval['state'], string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired undecided',
};

/** Who asked or decided: the key's name, else its id. */
export function actorName(a: Approval['requestedBy'] | undefined): string {
  if (!a) return '';
  if (a.type === 'system') return 'resetflow';
  return a.name ?? a.id;
}

/** The toast after a request the tenant's approvals held. */
export function heldMessage(what: string, email: string, expiresAt: string): string {
  return `${what} for ${email} is waiting for a second admin's approval (until ${new Date(expiresAt).toLocaleString()}). Nothing is applied until another admin approves it on the Approvals page.`;
}
