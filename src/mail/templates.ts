// Superseded by ./emailTemplates.ts (languages, tenant templates, branding); kept only until the notices branch, which adds to it, is merged.
import { html } from '../html';
import type { MailMessage } from './mailer';

type Content = Pick<MailMessage, 'subject' | 'textBody' | 'htmlBody'>;

function formatExpiry(expiresAt: Date): string {
  return `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function resetLinkEmail(p: { tenantName: string; link: string; expiresAt: Date }): Content {
  const expiry = formatExpiry(p.expiresAt);
  return {
    subject: `Reset your ${p.tenantName} password`,
    textBody: [
      `Someone asked to reset the password of your ${p.tenantName} account.`,
      '',
      `Choose a new password here (the link works once, until ${expiry}):`,
      p.link,
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
    htmlBody: html`<p>Someone asked to reset the password of your ${p.tenantName} account.</p>
<p><a href="${p.link}">Choose a new password</a></p>
<p>The link works once, until ${expiry}.</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>`.value,
  };
}

/** Never contains the password: the admin shares it over a secure channel. */
export function temporaryPasswordEmail(p: { tenantName: string; mustReset: boolean }): Content {
  const next = p.mustReset ? 'You will be asked to choose your own password when you next sign in.' : '';
  return {
    subject: `Your administrator set a temporary password for ${p.tenantName}`,
    textBody: [
      `Your administrator set a temporary password for your ${p.tenantName} account.`,
      'They will give it to you over a secure channel; it is never sent by email.',
      next,
      '',
      'If you did not expect this, contact your administrator.',
    ].join('\n'),
    htmlBody: html`<p>Your administrator set a temporary password for your ${p.tenantName} account.</p>
<p>They will give it to you over a secure channel; it is never sent by email.</p>
${next ? html`<p>${next}</p>` : ''}
<p>If you did not expect this, contact your administrator.</p>`.value,
  };
}
