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

/** Told how long each hash and verification took (the process's metrics). */
export interface HashObserver {
  observeHash(operation: 'hash' | 'verify', seconds: number): void;
}

const unobserved: HashObserver = { observeHash: () => undefined };

export class PasswordHasher {
  /** A hash of nothing anybody knows: unknown users are verified against it so timing reveals nothing. */
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly params: typeof ARGON2_PARAMS = ARGON2_PARAMS,
    private readonly observer: HashObserver = unobserved,
  ) {}

  async hash(password: string): Promise<string> {
    const start = performance.now();
    try {
      return await argon2.hash(normalizePassword(password), this.params);
    } finally {
      this.observer.observeHash('hash', (performance.now() - start) / 1000);
    }
  }

  async verify(hash: string, password: string): Promise<boolean> {
    const start = performance.now();
    try {
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      return false;
    } finally {
      this.observer.observeHash('verify', (performance.now() - start) / 1000);
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
