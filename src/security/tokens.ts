import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: reset links, change tokens, session tokens, API keys. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens carry 256 bits of entropy, so a fast hash is enough to store them:
 * a database leak reveals no usable token, and lookups stay indexable.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
