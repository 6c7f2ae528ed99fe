import { cronProblem, timezoneProblem } from '../../src/domain/cron';

/** The cron subset Temporal Schedules read and IANA zone spelling (src/domain/cron.ts): pure, no stack. */

describe('cronProblem', () => {
  it.each([
    '0 3 * * 1',
    '*/15 * * * *',
    '0 0 1 1 *',
    '59 23 31 12 6',
    '0 0 29 2 *',
    '1,15,30 1-5 * * *',
    '0-30/10 */2 1-15/7 * *',
    '0 9 * JAN-MAR MON-FRI',
    '0 9 * jan,jul mon',
    '0 9 * * 0',
  ])('accepts the five-field expression %j', (cron) => {
    expect(cronProblem(cron, 'UTC')).toBeUndefined();
  });

  it.each(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])('accepts the macro %s', (macro) => {
    expect(cronProblem(macro, 'Europe/Berlin')).toBeUndefined();
  });

  it('reads around surrounding blanks, and any run of blanks between fields', () => {
    expect(cronProblem('  @daily\n', 'UTC')).toBeUndefined();
    expect(cronProblem(' 0  3\t* *   1 ', 'UTC')).toBeUndefined();
  });

  it.each(['@every 5m', '@reboot', '@DAILY', '@fortnightly'])('refuses %j, a macro Temporal does not read the same way', (cron) => {
    expect(cronProblem(cron, 'UTC')).toMatch(/^use five fields/);
  });

  it.each(['', '   ', '0 3 * *', '* * * *', '0 3 * * 1 2026', '0 0 3 * * 1'])('refuses %j: not five fields', (cron) => {
    expect(cronProblem(cron, 'UTC')).toMatch(/^use five fields \(minute hour day-of-month month day-of-week\)/);
  });

  it.each([
    ['0 0 L * *', 3, 'L'],
    ['0 0 1W * *', 3, '1W'],
    ['0 0 ? * *', 3, '?'],
    ['0 0 * * 5L', 5, '5L'],
    ['0 0 * * 1#2', 5, '1#2'],
    ['100 * * * *', 1, '100'],
    ['0 H * * *', 2, 'H'],
    ['0 0 * MON *', 4, 'MON'],
    ['0 0 * * JAN', 5, 'JAN'],
    ['0 0 1, * *', 3, '1,'],
    ['-1 * * * *', 1, '-1'],
  ])('refuses %j, naming field %d (%s)', (cron, field, text) => {
    expect(cronProblem(cron, 'UTC')).toBe(
      `field ${field} ("${text}") is not supported: use numbers, *, ranges (1-5), steps (*/15) and lists (1,15); no L, W, # or ?`,
    );
  });

  it('names the first unsupported field when several are', () => {
    expect(cronProblem('0 0 L * 1#2', 'UTC')).toMatch(/^field 3 \("L"\)/);
  });

  it.each([
    ['60 * * * *', 'minute 60'],
    ['0 24 * * *', 'hour 24'],
    ['0 0 0 * *', 'day of month 0'],
    ['0 0 32 * *', 'day of month 32'],
    ['0 0 * 0 *', 'month 0'],
    ['0 0 * 13 *', 'month 13'],
    ['0 0 * * 8', 'day of week 8'],
    ['5-1 * * * *', 'a reversed range'],
    ['0 0 31 2 *', 'a day February never has'],
    ['0 0 30 2 *', 'a day February never has'],
  ])('refuses %j (%s) in the right shape but out of range', (cron) => {
    expect(cronProblem(cron, 'UTC')).toMatch(/^not a valid cron expression: /);
  });

  it('takes the boundaries of each range', () => {
    expect(cronProblem('0,59 0,23 1,31 1,12 0,6', 'UTC')).toBeUndefined();
  });
});

describe('timezoneProblem', () => {
  it.each(['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/Port-au-Prince', 'America/Argentina/Buenos_Aires', 'America/Indiana/Knox', 'Etc/GMT+5', 'Etc/GMT-14', 'Asia/Kolkata'])(
    'accepts %s',
    (zone) => expect(timezoneProblem(zone)).toBeUndefined(),
  );

  it.each([
    ['utc', 'UTC'],
    ['europe/berlin', 'Europe/Berlin'],
    ['america/new_york', 'America/New_York'],
  ])('refuses %s, which Intl reads but Temporal does not, and names the spelling to use (%s)', (zone, spelled) => {
    expect(timezoneProblem(zone)).toBe(`time zone names are case-sensitive: use "${spelled}"`);
  });

  it.each(['Mars/Olympus', 'Europe/Atlantis', 'UTC+1', ''])('refuses %j as unknown', (zone) => {
    expect(timezoneProblem(zone)).toBe(`unknown time zone "${zone}"; use an IANA name such as "Europe/Berlin" or "UTC"`);
  });
});
