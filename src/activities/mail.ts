import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { sealContext } from '../contract/sealing';
import { MailRejectedError, type MailMessage } from '../mail/mailer';
import type { EmailTemplate } from '../observability/metrics';
import { resetLinkEmail, temporaryPasswordEmail } from '../mail/templates';
import { getTenant } from '../store/tenants';
import { getPasswordSubject } from '../store/users';
import type { ActivityDeps } from './deps';

export function mailActivities(deps: ActivityDeps) {
  /**
   * Addresses are read here, at send time, so they never enter a workflow history.
   * Email is at-least-once: the provider has no idempotency key.
   */
  async function send(template: EmailTemplate, tenantId: string, userId: string, build: (tenantName: string) => Omit<MailMessage, 'to'>) {
    const [tenant, user] = await Promise.all([getTenant(deps.pool, tenantId), getPasswordSubject(deps.pool, tenantId, userId)]);
    if (!tenant || !user) throw ApplicationFailure.nonRetryable('user no longer exists', FAILURE_TYPES.userNotFound);
    try {
      const sent = await deps.mailer.send({ to: user.email, ...build(tenant.name) });
      deps.metrics.email(template, 'sent');
      return sent;
    } catch (err) {
      if (err instanceof MailRejectedError) {
        deps.metrics.email(template, 'rejected');
        throw ApplicationFailure.nonRetryable(err.message, FAILURE_TYPES.mailRejected, { reason: err.reason, providerCode: err.providerCode });
      }
      deps.metrics.email(template, 'failed'); // retried by the workflow's policy
      throw err;
    }
  }

  return {
    async sendResetEmail(input: { tenantId: string; userId: string; resetId: string; sealedToken: string; expiresAt: string }): Promise<{ messageId: string }> {
      const token = deps.sealer.unseal(input.sealedToken, sealContext.resetToken(input.tenantId, input.resetId));
      const link = `${deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
      return send('reset_link', input.tenantId, input.userId, (tenantName) => ({
        ...resetLinkEmail({ tenantName, link, expiresAt: new Date(input.expiresAt) }),
        tag: 'password-reset',
        metadata: { tenantId: input.tenantId, userId: input.userId, resetId: input.resetId },
      }));
    },

    async sendTemporaryPasswordNotice(input: { tenantId: string; userId: string; mustReset: boolean }): Promise<{ messageId: string }> {
      return send('temporary_password', input.tenantId, input.userId, (tenantName) => ({
        ...temporaryPasswordEmail({ tenantName, mustReset: input.mustReset }),
        tag: 'temporary-password',
        metadata: { tenantId: input.tenantId, userId: input.userId },
      }));
    },
  };
}
