/**
 * Text shown to people (tenant names, display names, key names) must read as what it
 * is: no control characters (C0, C1) and no bidirectional embeddings, overrides or
 * isolates, with which "evil‮gpj.exe" reads as "evilexe.jpg" in a console or an email.
 */
const CONTROL = /\p{Cc}/u;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export function displayTextProblem(text: string): string | undefined {
  if (CONTROL.test(text)) return 'must not contain control characters';
  if (BIDI_CONTROL.test(text)) return 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)';
  return undefined;
}
