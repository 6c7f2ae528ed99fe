import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Field-level encryption for the few secrets that must cross Temporal (a new
 * password on its way to the activity that hashes it, a reset token on its way
 * to the mail activity). AES-256-GCM; the key id travels beside the ciphertext
 * so keys can be rotated (SECRETS_KEY_PREVIOUS still opens old values), and a
 * context string is bound as additional authenticated data, so a value sealed
 * for one user and purpose cannot be replayed for another.
 *
 * Format: `v1.<kid>.<iv>.<ciphertext>.<tag>` (base64url parts). Everything else
 * in workflow histories stays plain JSON, readable in the Temporal Web UI.
 */
export type Sealed = string;

const VERSION = 'v1';

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export class SealError extends Error {
  override name = 'SealError';
}

export class Sealer {
  private readonly keys: Map<string, Buffer>;
  private readonly primaryId: string;

  constructor(primary: Buffer, previous?: Buffer) {
    if (primary.length !== 32) throw new SealError('sealing key must be 32 bytes');
    this.primaryId = keyId(primary);
    this.keys = new Map([[this.primaryId, primary]]);
    if (previous) this.keys.set(keyId(previous), previous);
  }

  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.primaryId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.primaryId, iv, ct, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  unseal(sealed: Sealed, context: string): string {
    const [version, kid, iv, ct, tag] = sealed.split('.');
    if (version !== VERSION || !kid || iv === undefined || ct === undefined || tag === undefined) {
      throw new SealError('not a sealed value');
    }
    const key = this.keys.get(kid);
    if (!key) throw new SealError(`sealed with unknown key ${kid}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SealError('sealed value does not open with this key and context');
    }
  }
}
