import { randomUUID } from 'node:crypto';
import { EMAIL_TEMPLATE_NAMES, LOCALES, type Actor, type EmailTemplateName, type Locale } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import { builtInTemplate, renderEmail, sampleFacts, validateTemplate, type TemplateContent } from '../mail/emailTemplates';
import { insertAuditEvent } from '../store/audit';
import { deleteEmailTemplate, getEmailTemplate, listEmailTemplates as listStored, putEmailTemplate } from '../store/emailTemplates';
import type { Tenant } from '../store/tenants';
import type { ServiceDeps } from './deps';
import type { TemplateInvalid } from './failures';

/**
 * A tenant's email templates (api.md, Languages and email templates): every
 * name in every language, the tenant's own where set, else the built-in one.
 * Saving validates (422 template_invalid) and audits tenant.email_template_changed.
 */
export interface EmailTemplateView extends TemplateContent {
  name: EmailTemplateName;
  locale: Locale;
  custom: boolean;
}

export async function listEmailTemplates(deps: Pick<ServiceDeps, 'pool'>, tenantId: string): Promise<EmailTemplateView[]> {
  const stored = await listStored(deps.pool, tenantId);
  const custom = new Map(stored.map((t) => [`${t.name}/${t.locale}`, t]));
  return EMAIL_TEMPLATE_NAMES.flatMap((name) => LOCALES.map((locale): EmailTemplateView => {
    const own = custom.get(`${name}/${locale}`);
    const content = own ? { subject: own.subject, textBody: own.textBody, htmlBody: own.htmlBody } : builtInTemplate(name, locale);
    return { name, locale, ...content, custom: Boolean(own) };
  }));
}

function invalidTemplate(errors: ReturnType<typeof validateTemplate>): TemplateInvalid {
  return { ok: false, code: 'template_invalid', errors };
}

export async function setEmailTemplate(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenantId: string; name: EmailTemplateName; locale: Locale; content: TemplateContent; actor: Actor },
): Promise<{ ok: true; template: EmailTemplateView } | TemplateInvalid> {
  const errors = validateTemplate(p.name, p.content);
  if (errors.length > 0) return invalidTemplate(errors);
  return inTransaction(deps.pool, async (c) => {
    const { template } = await putEmailTemplate(c, { tenantId: p.tenantId, name: p.name, locale: p.locale, ...p.content, now: deps.clock() });
    await insertAuditEvent(c, {
      idempotencyKey: `api:${randomUUID()}`, tenantId: p.tenantId, userId: null, action: 'tenant.email_template_changed', actor: p.actor,
      data: { name: p.name, locale: p.locale, change: 'set' }, occurredAt: deps.clock(),
    });
    return { ok: true as const, template: { name: p.name, locale: p.locale, subject: template.subject, textBody: template.textBody, htmlBody: template.htmlBody, custom: true } };
  });
}

/** Back to the built-in template; removing what is not there is a no-op (and not audited). */
export async function removeEmailTemplate(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenantId: string; name: EmailTemplateName; locale: Locale; actor: Actor },
): Promise<{ ok: true; removed: boolean }> {
  return inTransaction(deps.pool, async (c) => {
    const removed = await deleteEmailTemplate(c, p.tenantId, p.name, p.locale);
    if (removed) {
      await insertAuditEvent(c, {
        idempotencyKey: `api:${randomUUID()}`, tenantId: p.tenantId, userId: null, action: 'tenant.email_template_changed', actor: p.actor,
        data: { name: p.name, locale: p.locale, change: 'removed' }, occurredAt: deps.clock(),
      });
    }
    return { ok: true as const, removed };
  });
}

/**
 * The template (the parts given, the rest from the current one) rendered with
 * sample values and the tenant's branding, exactly as it would be sent.
 */
export async function previewEmailTemplate(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenant: Tenant; name: EmailTemplateName; locale: Locale; draft: Partial<TemplateContent>; publicUrl: string },
): Promise<{ ok: true; rendered: TemplateContent } | TemplateInvalid> {
  const own = await getEmailTemplate(deps.pool, p.tenant.id, p.name, p.locale);
  const base = own ? { subject: own.subject, textBody: own.textBody, htmlBody: own.htmlBody } : builtInTemplate(p.name, p.locale);
  const content: TemplateContent = { subject: p.draft.subject ?? base.subject, textBody: p.draft.textBody ?? base.textBody, htmlBody: p.draft.htmlBody ?? base.htmlBody };
  const errors = validateTemplate(p.name, content);
  if (errors.length > 0) return invalidTemplate(errors);
  const settings = p.tenant.settings;
  const facts = sampleFacts({
    tenantName: p.tenant.name, branding: settings.branding, publicUrl: p.publicUrl, now: deps.clock(),
    linkTtlSeconds: p.name === 'temporary_password_set' ? settings.temporaryPasswordTtlSeconds : settings.resetLinkTtlSeconds,
  });
  return { ok: true, rendered: renderEmail(p.name, p.locale, content, facts) };
}
