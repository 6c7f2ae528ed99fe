/**
 * The languages of emails and end-user pages (api.md, Languages and email
 * templates), named for the admin: the language's own name, then English.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch (German)' },
  { code: 'fr', name: 'Français (French)' },
  { code: 'es', name: 'Español (Spanish)' },
  { code: 'pt-BR', name: 'Português do Brasil (Brazilian Portuguese)' },
  { code: 'ja', name: '日本語 (Japanese)' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export function languageName(code: string | null | undefined): string | undefined {
  return code ? LANGUAGES.find((l) => l.code === code)?.name ?? code : undefined;
}

/** The emails a tenant may template. */
export const EMAIL_TEMPLATES = [
  { name: 'password_reset_link', label: 'Reset link' },
  { name: 'temporary_password_set', label: 'Temporary password set' },
  { name: 'password_changed', label: 'Password changed' },
] as const;
