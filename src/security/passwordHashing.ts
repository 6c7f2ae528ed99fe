import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { normalizePassword } from '../domain/passwordPolicy';

/**
 * argon2id with OWASP's password-storage parameters (m = 19 MiB, t = 2, p = 1;
 * see README "Performance" for the measurements behind the choice). Hashes
 * made with other parameters still verify and are re-hashed at the next
 * successful sign-in (`needsRehash`).
 */
export const ARGON2_PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export class PasswordHasher {
  /** A hash of nothing anybody knows: unknown users are verified against it so timing reveals nothing. */
  private decoy: Promise<string> | undefined;

  constructor(private readonly params: typeof ARGON2_PARAMS = ARGON2_PARAMS) {}

  hash(password: string): Promise<string> {
    return argon2.hash(normalizePassword(password), this.params);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      return false;
    }
  }

  /** Spend the same work as a real verification, then fail. */
  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= argon2.hash(randomBytes(32).toString('base64'), this.params);
    await this.verify(await this.decoy, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    const { memoryCost, timeCost, parallelism } = this.params;
    return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, { memoryCost, timeCost, parallelism });
  }
}
