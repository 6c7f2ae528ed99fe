import { listEmailTemplates, previewEmailTemplate, removeEmailTemplate, setEmailTemplate } from '../../services/emailTemplates';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import {
  emailTemplateListResponse, emailTemplateParams, emailTemplateResponse, previewEmailTemplateBody, putEmailTemplateBody, renderedEmailResponse, tenantParams,
} from '../schemas';

/** api.md, Languages and email templates (tenant admin). */
export const emailTemplateRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/email-templates', operationId: 'listEmailTemplates', tag: 'Languages and email templates',
      summary: "Every email in every language: the tenant's own template where set (custom), else the built-in one",
      params: tenantParams,
      responses: { 200: { description: 'Templates by name and language', schema: emailTemplateListResponse } },
    },
    async ({ deps, tenant }) => ({ status: 200, body: { items: await listEmailTemplates(deps, tenant.id) } }),
  ),
  adminRoute(
    {
      method: 'put', path: '/admin/tenants/{tenantId}/email-templates/{name}/{locale}', operationId: 'setEmailTemplate', tag: 'Languages and email templates',
      summary: 'Set the tenant\'s own template of an email in a language (Mustache, {{variables}} from the fixed list; audited tenant.email_template_changed)',
      params: emailTemplateParams,
      body: putEmailTemplateBody,
      responses: { 200: { description: 'The template as stored', schema: emailTemplateResponse } },
      problems: [422],
    },
    async ({ deps, tenant, params, body, admin }) => ({
      status: 200,
      body: unwrap(await setEmailTemplate(deps, { tenantId: tenant.id, name: params.name, locale: params.locale, content: body, actor: admin.actor })).template,
    }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/email-templates/{name}/{locale}', operationId: 'deleteEmailTemplate', tag: 'Languages and email templates',
      summary: 'Remove the tenant\'s own template: the built-in one is used again (audited when there was one)',
      params: emailTemplateParams,
      responses: { 204: { description: 'The built-in template is used' } },
    },
    async ({ deps, tenant, params, admin }) => {
      await removeEmailTemplate(deps, { tenantId: tenant.id, name: params.name, locale: params.locale, actor: admin.actor });
      return { status: 204 };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/email-templates/{name}/{locale}/preview', operationId: 'previewEmailTemplate', tag: 'Languages and email templates',
      summary: 'Render a template (the parts sent, the current template for the rest) with sample values and the tenant\'s branding',
      params: emailTemplateParams,
      body: previewEmailTemplateBody,
      responses: { 200: { description: 'The email as it would be sent', schema: renderedEmailResponse } },
      problems: [422],
    },
    async ({ deps, tenant, params, body }) => ({
      status: 200,
      body: unwrap(await previewEmailTemplate(deps, { tenant, name: params.name, locale: params.locale, draft: body, publicUrl: deps.publicUrl })).rendered,
    }),
  ),
];
