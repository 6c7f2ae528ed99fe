import type { ChangeRequired } from './api/types';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** The browser's own time zone, e.g. "Europe/Paris". */
export const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A time as a clock in another time zone shows it ("Mon 03:00"); undefined for a zone the browser does not know. */
export function formatInZone(iso: string, timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
  } catch {
    return undefined;
  }
}

/** "in 23 hours", "5 minutes ago" */
export function fromNow(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400 * 2) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

/** 86400 → "24 hours", 600 → "10 minutes" */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

export const CHANGE_REASONS: Record<ChangeRequired, string> = {
  temporary_password: 'it is a temporary password',
  admin_forced: 'an administrator forced a reset',
  scheduled_rotation: 'scheduled password rotation',
  breached_password: 'the password was found in a data breach',
};

const PROVIDERS: Record<string, string> = { google: 'Google', saml: 'SAML', microsoft: 'Microsoft', azuread: 'Microsoft Entra ID', okta: 'Okta', github: 'GitHub' };
export function providerName(provider: string): string {
  return PROVIDERS[provider.toLowerCase()] ?? provider;
}

/** A short device description from a User-Agent header: "Chrome on Linux". */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const ua = userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge'
    : /OPR\//.test(ua) ? 'Opera'
    : /(Headless)?Chrom(e|ium)\//.test(ua) ? 'Chrome'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /Safari\//.test(ua) && /Version\//.test(ua) ? 'Safari'
    : /^curl\//.test(ua) ? 'curl'
    : /^node|undici/i.test(ua) ? 'Node.js'
    : undefined;
  const os = /Windows/.test(ua) ? 'Windows'
    : /iPhone|iPad/.test(ua) ? 'iOS'
    : /Mac OS X/.test(ua) ? 'macOS'
    : /Android/.test(ua) ? 'Android'
    : /Linux|X11/.test(ua) ? 'Linux'
    : undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}
