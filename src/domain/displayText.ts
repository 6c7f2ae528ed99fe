/**
 * Text shown to people (tenant names, display names, key names) must read as what it
 * is: no control characters (C0, C1) and no bidirectional embeddings, overrides or
 * isolates, with which "evil‮gpj.exe" reads as "evilexe.jpg" in a console or an email,
 * and no invisible format characters (RLM, ALM, zero-width space, word joiner, soft hyphen,
 * BOM…), with which two names that read alike are different names.
 */
const CONTROL = /\p{Cc}/u;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Unicode's format characters (category Cf): invisible, they make two names that read alike differ. */
const FORMAT = /\p{Cf}/u;
/**
 * The two exceptions, each only between two visible characters outside ASCII: ZERO WIDTH NON-JOINER (U+200C), which
 * Persian, Hindi and other scripts spell names with, and ZERO WIDTH JOINER (U+200D), which joins emoji
 * sequences and Indic conjuncts.
 */
const JOINERS = new Set(['\u200c', '\u200d']);
/** what a joiner may stand between: visible characters outside ASCII ("ad\u200dmin" would read as "admin") */
const JOINABLE = /^[^\p{ASCII}]$/u;
const VISIBLE = /[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\u{FE0F}]/u;
const joinable = (c: string | undefined) => c !== undefined && JOINABLE.test(c) && VISIBLE.test(c);

export function displayTextProblem(text: string): string | undefined {
  if (CONTROL.test(text)) return 'must not contain control characters';
  if (BIDI_CONTROL.test(text)) return 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)';
  const chars = Array.from(text);
  for (const [i, c] of chars.entries()) {
    if (!FORMAT.test(c)) continue;
    const joined = JOINERS.has(c) && joinable(chars[i - 1]) && joinable(chars[i + 1]);
    if (!joined) return `must not contain invisible format characters (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  }
  return undefined;
}
