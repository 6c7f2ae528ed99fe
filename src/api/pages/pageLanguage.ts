import type { Request } from 'express';
import type { PolicyRule, PolicyViolation } from '../../contract/vocabulary';
import type { PasswordPolicy } from '../../domain/tenantSettings';
import { html, type SafeHtml } from '../../html';
import { pageLocale, type MessageKey, type Translate } from '../../i18n';
import type { Tenant } from '../../services/tenants';
import type { ServiceFailure } from '../../services/failures';
import { problemFor, type ProblemContext } from '../problems';
import { chrome, type PageChrome } from './layout';

/**
 * A page's language (api.md, Languages and email templates): `?lang=` (or the
 * form's `lang`, which carries it through a post), the user's `locale` when the
 * page knows the user, Accept-Language, the tenant's `defaultLocale`.
 */
export function pageChrome(req: Request, tenant?: Tenant, userLocale?: string | null): PageChrome {
  const body: unknown = req.body;
  const formLang = body && typeof body === 'object' ? (body as Record<string, unknown>)['lang'] : undefined;
  const locale = pageLocale({
    lang: req.query['lang'] ?? formLang, userLocale, acceptLanguage: req.get('accept-language'), tenantDefault: tenant?.settings.defaultLocale,
  });
  return chrome(locale, tenant ? { tenantId: tenant.id, name: tenant.name, branding: tenant.settings.branding } : undefined);
}

/** A hidden field keeping an explicit `?lang=` through a form post. */
export function langField(req: Request): SafeHtml | '' {
  const lang = req.query['lang'] ?? (req.body as Record<string, unknown> | undefined)?.['lang'];
  return typeof lang === 'string' && /^[A-Za-z-]{2,8}$/.test(lang) ? html`<input type="hidden" name="lang" value="${lang}">` : '';
}

const POLICY: Record<PolicyRule, MessageKey> = {
  min_length: 'policy.min_length',
  max_length: 'policy.max_length',
  common_password: 'policy.common_password',
  personal_info: 'policy.personal_info',
  reused: 'policy.reused',
  breached: 'policy.breached',
};

/** What the policy refused, in the page's language. */
export function policyText(t: Translate, violations: readonly PolicyViolation[], policy: Pick<PasswordPolicy, 'minLength' | 'maxLength' | 'historyCount'>): string {
  return violations.map((v) => t(POLICY[v.rule], { min: policy.minLength, max: policy.maxLength, history: policy.historyCount })).join(' ');
}

/** What a refused link or token says on a page: a title, a sentence and, for links, what to do next. */
export interface PageRefusal {
  status: number;
  title: string;
  text: string;
  next?: string | undefined;
}

const LINK_REFUSALS = {
  invalid_token: ['problem.invalid_token.title', 'problem.invalid_token.text', 'problem.invalid_token.next'],
  link_expired: ['problem.link_expired.title', 'problem.link_expired.text', 'problem.link_expired.next'],
  link_used: ['problem.link_used.title', 'problem.link_used.text', 'problem.link_used.next'],
} as const satisfies Record<string, readonly [MessageKey, MessageKey, MessageKey]>;

const SENTENCES: Partial<Record<ServiceFailure['code'], MessageKey>> = {
  token_expired: 'problem.token_expired',
  token_used: 'problem.token_used',
  invalid_credentials: 'problem.invalid_credentials',
  temporary_password_expired: 'problem.temporary_password_expired',
};

export function pageRefusal(t: Translate, f: ServiceFailure, ctx: ProblemContext = {}): PageRefusal {
  const { status } = problemFor(f, ctx);
  if (f.code === 'rate_limited') return { status, title: t('problem.other.title'), text: t('problem.rate_limited', { seconds: f.retryAfterSeconds }) };
  if (f.code === 'invalid_token' && ctx.token === 'changeToken') return { status, title: t('problem.other.title'), text: t('problem.invalid_change') };
  if (f.code in LINK_REFUSALS) {
    const [title, text, next] = LINK_REFUSALS[f.code as keyof typeof LINK_REFUSALS];
    return { status, title: t(title), text: t(text), next: t(next) };
  }
  const sentence = SENTENCES[f.code];
  return { status, title: t('problem.other.title'), text: sentence ? t(sentence) : t('problem.other.text') };
}
