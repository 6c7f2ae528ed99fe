/**
 * Accessible colours from a tenant's primary colour, whatever it is (WCAG 2.2,
 * relative luminance and contrast ratio): text on the colour is black or white,
 * whichever contrasts more (at least 4.58:1 for any colour), and the colour used
 * for text or links on white is darkened until it reaches 4.5:1.
 */
export const DEFAULT_PRIMARY = '#1d4ed8';
export const AA_TEXT = 4.5;

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function linear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function toHex(rgb: number[]): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

export interface BrandColours {
  /** the tenant's colour (#rrggbb, lower case): backgrounds of buttons and the header */
  primary: string;
  /** black or white: text on `primary` */
  onPrimary: string;
  /** `primary`, darkened as little as needed to read on white (links, headings) */
  primaryOnWhite: string;
  /** contrast of onPrimary on primary */
  buttonContrast: number;
}

export function brandColours(primaryColor: string | undefined): BrandColours {
  const primary = (primaryColor ?? DEFAULT_PRIMARY).toLowerCase();
  const black = contrastRatio(primary, '#000000');
  const white = contrastRatio(primary, '#ffffff');
  let onWhite = primary;
  const rgb = channels(primary);
  for (let f = 1; contrastRatio(onWhite, '#ffffff') < AA_TEXT && f > 0; f -= 0.05) onWhite = toHex(rgb.map((c) => c * f));
  if (contrastRatio(onWhite, '#ffffff') < AA_TEXT) onWhite = '#000000';
  return { primary, onPrimary: white >= black ? '#ffffff' : '#000000', primaryOnWhite: onWhite, buttonContrast: Math.max(black, white) };
}
