import { CronExpressionParser } from 'cron-parser';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';
/** One field of the portable cron grammar: `*`, numbers, ranges and steps, lists of them; names where cron allows them. */
const field = (names?: string) => {
  const atom = `(\\*|\\d{1,2}(-\\d{1,2})?${names ? `|(${names})(-(${names}))?` : ''})(/\\d{1,2})?`;
  return new RegExp(`^${atom}(,${atom})*$`, 'i');
};
const FIELDS = [field(), field(), field(), field(MONTHS), field(DAYS)];

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) or a
 * macro such as @daily, in the portable subset Temporal Schedules read the same way
 * (no `L`, `W`, `#`, `?` or `@every`: some parsers take them, Temporal refuses them).
 * Returns why not, or undefined. Temporal itself has the last word when the schedule
 * is saved (src/services/rotation.ts turns its refusal into the same 400).
 */
export function cronProblem(cron: string, timezone: string): string | undefined {
  const trimmed = cron.trim();
  if (MACROS.has(trimmed)) return undefined;
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) return 'use five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * 1", or a macro such as @daily';
  const bad = parts.findIndex((p, i) => !FIELDS[i]!.test(p));
  if (bad >= 0) return `field ${bad + 1} ("${parts[bad]}") is not supported: use numbers, *, ranges (1-5), steps (*/15) and lists (1,15); no L, W, # or ?`;
  try {
    CronExpressionParser.parse(trimmed, { tz: timezone });
    return undefined;
  } catch (err) {
    return `not a valid cron expression: ${(err as Error).message}`;
  }
}

/** IANA's spelling: `UTC`, or capitalised Area/Location parts (`America/Port-au-Prince`, `Etc/GMT+5`). */
const IANA_SPELLING = /^(UTC|[A-Z][A-Za-z]*(\/[A-Z][A-Za-z0-9]*([_+-][A-Za-z0-9]+)*)+)$/;

/**
 * An IANA time zone the runtime knows, spelled as IANA spells it: Temporal's zone names
 * are case-sensitive (`utc` is refused there, though `Intl` accepts it).
 */
export function timezoneProblem(timezone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone "${timezone}"; use an IANA name such as "Europe/Berlin" or "UTC"`;
  }
  if (!IANA_SPELLING.test(timezone)) return `time zone names are case-sensitive: use "${resolved}"`;
  return undefined;
}
