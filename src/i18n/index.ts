import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES, type Locale } from '../contract/vocabulary';
import { de } from './catalogues/de';
import { en, type Catalogue, type MessageKey } from './catalogues/en';
import { es } from './catalogues/es';
import { fr } from './catalogues/fr';
import { ja } from './catalogues/ja';
import { ptBR } from './catalogues/pt-BR';

/**
 * The words of every email and end-user page, in each built-in language: one
 * catalogue per language (./catalogues), ICU MessageFormat through
 * intl-messageformat, dates through Intl. Pure: no I/O.
 */
export type { Catalogue, MessageKey };
export type { Locale };
export { LOCALES };

export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, de, fr, es, 'pt-BR': ptBR, ja };

export type MessageValues = Record<string, string | number>;

const compiled = new Map<string, IntlMessageFormat>();

function formatter(locale: Locale, key: MessageKey): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    f = new IntlMessageFormat(CATALOGUES[locale][key], locale, undefined, { ignoreTag: true });
    compiled.set(id, f);
  }
  return f;
}

/** One message in one language; arguments are plain text (the caller escapes for HTML). */
export function translate(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  const out = formatter(locale, key).format(values);
  return Array.isArray(out) ? out.join('') : String(out);
}

export type Translate = (key: MessageKey, values?: MessageValues) => string;

export function translator(locale: Locale): Translate {
  return (key, values) => translate(locale, key, values);
}

export function isLocale(s: unknown): s is Locale {
  return typeof s === 'string' && (LOCALES as readonly string[]).includes(s);
}

/** A date and time as a reader of `locale` writes it, in UTC (users have no time zone of their own yet), zone named. */
export function formatDateTime(locale: Locale, at: Date): string {
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    dateFormats.set(locale, f);
  }
  return `${f.format(at)} UTC`;
}
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A duration, rounded to the nearest minute, in the largest unit that says it (whole days, else hours, else minutes), pluralised for `locale`. */
export function formatDuration(locale: Locale, seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return translate(locale, 'duration.minutes', { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours >= 24 && hours % 24 === 0) return translate(locale, 'duration.days', { count: hours / 24 });
  return translate(locale, 'duration.hours', { count: hours });
}

/**
 * The best built-in language for an Accept-Language header (RFC 9110 §12.5.4):
 * by q-value, an exact tag first, then a tag's primary language (`de-AT` → `de`,
 * `pt` or `pt-PT` → `pt-BR`, our only Portuguese). Undefined when none fits.
 */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranges = header.slice(0, 1024).split(',').map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    return { tag: tag.trim().toLowerCase(), q: Number.isFinite(weight) ? weight : 0, i };
  }).filter((r) => r.tag && r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    const exact = LOCALES.find((l) => l.toLowerCase() === r.tag);
    if (exact) return exact;
    const primary = r.tag.split('-')[0];
    const byLanguage = LOCALES.find((l) => l.toLowerCase().split('-')[0] === primary);
    if (byLanguage) return byLanguage;
  }
  return undefined;
}

/** An email's language: the user's, else the tenant's default. */
export function emailLocale(userLocale: string | null | undefined, tenantDefault: Locale): Locale {
  return isLocale(userLocale) ? userLocale : tenantDefault;
}

/** A page's language: `?lang=`, the user's (when the page knows the user), Accept-Language, the tenant's default. */
export function pageLocale(p: { lang?: unknown; userLocale?: string | null | undefined; acceptLanguage?: string | undefined; tenantDefault?: Locale | undefined }): Locale {
  if (isLocale(p.lang)) return p.lang;
  if (isLocale(p.userLocale)) return p.userLocale;
  return negotiateLocale(p.acceptLanguage) ?? p.tenantDefault ?? 'en';
}
