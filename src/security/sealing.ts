import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Field-level encryption for the few secrets that must cross Temporal (a new
 * password on its way to the activity that hashes it, a reset token on its way
 * to the mail activity). AES-256-GCM; the key id travels beside the ciphertext
 * so keys can be rotated (SECRETS_KEY_PREVIOUS still opens old values), and a
 * context string is bound as additional authenticated data, so a value sealed
 * for one user and purpose cannot be replayed for another.
 *
 * Format: `v2.<kid>.<iv>.<ciphertext>.<tag>` (base64url parts). The plaintext is
 * its length (4 bytes) and its UTF-8 bytes, padded with zeros to a multiple of
 * PAD_BUCKET bytes, so a sealed value does not tell how long the password in it is
 * (v1, unpadded, still opens: workflows started before v2 hold it). Everything else
 * in workflow histories stays plain JSON, readable in the Temporal Web UI.
 */
export type Sealed = string;

const VERSION = 'v2';
const UNPADDED = 'v1';
/** every secret up to 252 bytes (a password policy's longest, 1,024 code points, is up to 4 buckets) seals to the same length */
export const PAD_BUCKET = 256;

function pad(plaintext: string): Buffer {
  const bytes = Buffer.from(plaintext, 'utf8');
  const out = Buffer.alloc(Math.ceil((bytes.length + 4) / PAD_BUCKET) * PAD_BUCKET);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

function unpad(padded: Buffer): string {
  const length = padded.length >= 4 ? padded.readUInt32BE(0) : -1;
  if (length < 0 || length > padded.length - 4) throw new SealError('sealed value is not padded as v2 says');
  return padded.subarray(4, 4 + length).toString('utf8');
}

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
    const ct = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
    return [VERSION, this.primaryId, iv, ct, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  unseal(sealed: Sealed, context: string): string {
    const [version, kid, iv, ct, tag] = sealed.split('.');
    if ((version !== VERSION && version !== UNPADDED) || !kid || iv === undefined || ct === undefined || tag === undefined) {
      throw new SealError('not a sealed value');
    }
    const key = this.keys.get(kid);
    if (!key) throw new SealError(`sealed with unknown key ${kid}`);
    let opened: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      opened = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
    } catch {
      throw new SealError('sealed value does not open with this key and context');
    }
    return version === UNPADDED ? opened.toString('utf8') : unpad(opened);
  }
}
