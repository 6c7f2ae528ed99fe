import { CronExpressionParser } from 'cron-parser';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) or a
 * macro such as @daily, as Temporal Schedules read them. Returns why not, or undefined.
 */
export function cronProblem(cron: string, timezone: string): string | undefined {
  const trimmed = cron.trim();
  if (!MACROS.has(trimmed) && trimmed.split(/\s+/).length !== 5) {
    return 'use five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * 1", or a macro such as @daily';
  }
  try {
    CronExpressionParser.parse(trimmed, { tz: timezone });
    return undefined;
  } catch (err) {
    return `not a valid cron expression: ${(err as Error).message}`;
  }
}

export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `unknown time zone "${timezone}"; use an IANA name such as "Europe/Berlin" or "UTC"`;
  }
}
