import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { normalizePassword } from '../domain/passwordPolicy';
import { parseImportedHash, verifyImportedHash } from './legacyHashes';

/**
 * argon2id with OWASP's password-storage parameters (m = 19 MiB, t = 2, p = 1;
 * see docs/performance.md for the measurements behind the choice). Hashes
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

  /**
   * Whether `password` is the one of `hash`: resetflow's own argon2id (of the NFKC-normalised
   * password), or an imported hash (of the password as the user types it, as the system it
   * came from hashed it), which password history may hold too.
   */
  async verify(hash: string, password: string): Promise<boolean> {
    const start = performance.now();
    try {
      if (!hash.startsWith('$argon2')) {
        const imported = parseImportedHash(hash);
        return imported ? await verifyImportedHash(imported, password) : false;
      }
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      return false;
    } finally {
      this.observer.observeHash('verify', (performance.now() - start) / 1000);
    }
  }

  /**
   * Sign-in against an imported hash (users.password_hash_algorithm set). It costs at least
   * what an argon2id verification costs (the decoy runs beside it), so a cheap legacy hash
   * (salted SHA) answers no faster than an unknown email; a slow one (bcrypt cost 15) runs
   * off the event loop like argon2id.
   */
  async verifyImported(hash: string, password: string): Promise<boolean> {
    const imported = parseImportedHash(hash);
    const start = performance.now();
    try {
      const [ok] = await Promise.all([
        imported ? verifyImportedHash(imported, password) : false,
        this.decoyHash().then((decoy) => argon2.verify(decoy, normalizePassword(password))).catch(() => false),
      ]);
      // an imported argon2 hash of a password typed in another normal form: tried as resetflow normalises too
      if (!ok && imported?.parsed.kind === 'argon2' && normalizePassword(password) !== password) {
        return await verifyImportedHash(imported, normalizePassword(password));
      }
      return ok;
    } finally {
      this.observer.observeHash('verify', (performance.now() - start) / 1000);
    }
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= argon2.hash(randomBytes(32).toString('base64'), this.params);
    return this.decoy;
  }

  /** Spend the same work as a real verification, then fail. */
  async verifyDecoy(password: string): Promise<false> {
    await this.verify(await this.decoyHash(), password);
    return false;
  }

  needsRehash(hash: string): boolean {
    const { memoryCost, timeCost, parallelism } = this.params;
    return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, { memoryCost, timeCost, parallelism });
  }
}
