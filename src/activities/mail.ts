import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { sealContext } from '../contract/sealing';
import type { EmailTemplateName } from '../contract/vocabulary';
import { emailLocale } from '../i18n';
import { builtInTemplate, renderEmail, validateTemplate, type EmailFacts, type TemplateContent } from '../mail/emailTemplates';
import { MailRejectedError, type MailMessage } from '../mail/mailer';
import type { EmailTemplate } from '../observability/metrics';
import { getEmailTemplate } from '../store/emailTemplates';
import { recordReportDelivery } from '../store/passwordChangeReports';
import { getTenant } from '../store/tenants';
import { getPasswordSubject } from '../store/users';
import type { ActivityDeps } from './deps';

/** What an email says beyond its user, tenant and brand (read at send time): links, dates, flags. */
type Extra = Omit<EmailFacts, 'user' | 'tenant' | 'branding'>;

/** A "this wasn't me" link as it crosses the workflow: its id and its token, sealed. */
export interface ReportRef {
  reportId: string;
  sealedToken: string;
}

export function mailActivities(deps: ActivityDeps) {
  /**
   * Addresses are read here, at send time, so they never enter a workflow history;
   * so are the user's language, the tenant's brand and its own template.
   * Email is at-least-once: the provider has no idempotency key.
   */
  async function send(
    metric: EmailTemplate,
    name: EmailTemplateName,
    ids: { tenantId: string; userId: string },
    extra: Extra,
    envelope: Pick<MailMessage, 'tag' | 'metadata'>,
  ) {
    const [tenant, user] = await Promise.all([getTenant(deps.pool, ids.tenantId), getPasswordSubject(deps.pool, ids.tenantId, ids.userId)]);
    if (!tenant || !user) throw ApplicationFailure.nonRetryable('user no longer exists', FAILURE_TYPES.userNotFound);
    const locale = emailLocale(user.locale, tenant.settings.defaultLocale);
    const own = await getEmailTemplate(deps.pool, tenant.id, name, locale);
    const custom: TemplateContent | undefined = own ? { subject: own.subject, textBody: own.textBody, htmlBody: own.htmlBody } : undefined;
    // stored templates were validated when saved; one that no longer validates (a variable withdrawn since) falls back
    const template = custom && validateTemplate(name, custom).length === 0 ? custom : builtInTemplate(name, locale);
    const facts: EmailFacts = { user: { displayName: user.displayName, email: user.email }, tenant: { name: tenant.name }, branding: tenant.settings.branding, ...extra };
    const content = renderEmail(name, locale, template, facts);
    deps.metrics.emailRendered(name, locale, template === custom ? 'custom' : 'builtin');
    try {
      const sent = await deps.mailer.send({ to: user.email, ...content, ...envelope });
      deps.metrics.email(metric, 'sent');
      return sent;
    } catch (err) {
      if (err instanceof MailRejectedError) {
        deps.metrics.email(metric, 'rejected');
        throw ApplicationFailure.nonRetryable(err.message, FAILURE_TYPES.mailRejected, { reason: err.reason, providerCode: err.providerCode });
      }
      deps.metrics.email(metric, 'failed'); // retried by the workflow's policy
      throw err;
    }
  }

  function reportLink(input: { tenantId: string; report?: ReportRef | undefined }): string | undefined {
    if (!input.report) return undefined;
    const token = deps.sealer.unseal(input.report.sealedToken, sealContext.reportToken(input.tenantId, input.report.reportId));
    return `${deps.publicUrl}/report-password-change?token=${encodeURIComponent(token)}`;
  }

  /** Delivery tracking of a notice: its message id, then the provider's webhooks (services/mailEvents.ts). Never fails the send. */
  async function recordSent(reportId: string, messageId: string): Promise<void> {
    try {
      await recordReportDelivery(deps.pool, { id: reportId, messageId, state: 'sent', at: deps.clock() });
    } catch {
      // the email went out; a retry here would send it twice
    }
  }

  return {
    async sendResetEmail(input: { tenantId: string; userId: string; resetId: string; sealedToken: string; expiresAt: string }): Promise<{ messageId: string }> {
      const token = deps.sealer.unseal(input.sealedToken, sealContext.resetToken(input.tenantId, input.resetId));
      const link = `${deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
      const expiresAt = new Date(input.expiresAt);
      return send('reset_link', 'password_reset_link', input, { link, expiresAt, validForSeconds: (expiresAt.getTime() - Date.now()) / 1000 }, {
        tag: 'password-reset',
        metadata: { tenantId: input.tenantId, userId: input.userId, resetId: input.resetId },
      });
    },

    /** Path 2's notice; `report`: its "this wasn't me" link (sealed), when one was issued. */
    async sendTemporaryPasswordNotice(input: { tenantId: string; userId: string; mustReset: boolean; report?: ReportRef | undefined }): Promise<{ messageId: string }> {
      const sent = await send('temporary_password', 'temporary_password_set', input, { mustChange: input.mustReset, reportLink: reportLink(input) }, {
        tag: 'temporary-password',
        metadata: { tenantId: input.tenantId, userId: input.userId, ...(input.report ? { reportId: input.report.reportId } : {}) },
      });
      if (input.report) await recordSent(input.report.reportId, sent.messageId);
      return sent;
    },

    /** "Your password was changed" (never the password), with its one-time "this wasn't me" link. */
    async sendPasswordChangedNotice(input: { tenantId: string; userId: string; changedAt: string; report: ReportRef }): Promise<{ messageId: string }> {
      const sent = await send('password_changed', 'password_changed', input, { changedAt: new Date(input.changedAt), reportLink: reportLink(input) }, {
        tag: 'password-changed',
        metadata: { tenantId: input.tenantId, userId: input.userId, reportId: input.report.reportId },
      });
      await recordSent(input.report.reportId, sent.messageId);
      return sent;
    },
  };
}
