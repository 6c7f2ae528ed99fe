import type { PasswordPolicy } from './api/types';

/** Length as the server counts it: code points after NFKC normalisation (NIST SP 800-63B). */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

export function lengthProblems(password: string, policy: PasswordPolicy): { min: boolean; max: boolean } {
  const n = passwordLength(password);
  return { min: n >= policy.minLength, max: n <= policy.maxLength };
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * A random password to read out over the phone: groups of four, e.g.
 * "k7Qm-x2Vp-9RtB-hW4n" (about 5.8 bits a character, 93 bits for 16).
 * Long enough for the policy's minimum.
 */
export function generatePassword(policy: PasswordPolicy): string {
  const groups = Math.max(4, Math.ceil((policy.minLength + 1) / 5));
  const chars: string[] = [];
  const limit = 256 - (256 % ALPHABET.length);
  while (chars.length < groups * 4) {
    const bytes = crypto.getRandomValues(new Uint8Array(64));
    for (const b of bytes) if (b < limit && chars.length < groups * 4) chars.push(ALPHABET[b % ALPHABET.length]!);
  }
  const out: string[] = [];
  for (let i = 0; i < groups; i++) out.push(chars.slice(i * 4, i * 4 + 4).join(''));
  return out.join('-').slice(0, policy.maxLength);
}
