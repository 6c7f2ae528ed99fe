/**
 * CSV as RFC 4180 has it (comma-separated, CRLF line ends, fields with a comma, a
 * quote or a line break quoted, quotes doubled), with OWASP's guard against formula
 * injection: a cell a spreadsheet would read as a formula (starting with =, +, -, @,
 * a tab or a carriage return) gets a leading apostrophe, so it shows as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: string | null | undefined): string {
  let v = value ?? '';
  if (FORMULA_START.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvRow(values: readonly (string | null | undefined)[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
