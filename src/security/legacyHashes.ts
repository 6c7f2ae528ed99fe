import argon2 from 'argon2';
import { createCipheriv, createHash, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { runCrypt } from './cryptWorkers';

/**
 * Password hashes imported from another system, in the strings Ory Kratos's
 * identity import accepts for `hashed_password` (its hash/hash_comparator.go and
 * hash_limits.go): bcrypt, Argon2 (id, i), PBKDF2, scrypt, Firebase's scrypt,
 * salted SHA and the crypt(3) family. `parseImportedHash` says whether a string is
 * one (with parameters inside Kratos's bounds: no import can make a sign-in cost
 * minutes or gigabytes); `verifyImportedHash` checks a password against it with
 * well-kept implementations (Node's crypto, argon2, bcryptjs, apache-md5, unixcrypt),
 * off the event loop, comparing in constant time.
 */

export const IMPORTED_HASH_ALGORITHMS = [
  'bcrypt', 'argon2id', 'argon2i',
  'pbkdf2-sha1', 'pbkdf2-sha224', 'pbkdf2-sha256', 'pbkdf2-sha384', 'pbkdf2-sha512',
  'scrypt', 'firescrypt', 'ssha', 'ssha256', 'ssha512', 'md5-crypt', 'sha256-crypt', 'sha512-crypt',
] as const;
export type ImportedHashAlgorithm = (typeof IMPORTED_HASH_ALGORITHMS)[number];

type Digest = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/**
 * The HMAC digest of each PBKDF2 name. Kratos has always computed `pbkdf2-sha224` and
 * `pbkdf2-sha384` with SHA3-224 and SHA3-384 (hash/hasher_pbkdf2.go keeps it so for
 * the hashes already out there), so an export from Kratos verifies only that way.
 */
const PBKDF2_HMAC: Record<Digest, string> = { sha1: 'sha1', sha224: 'sha3-224', sha256: 'sha256', sha384: 'sha3-384', sha512: 'sha512' };

type Parsed =
  | { kind: 'bcrypt'; hash: string }
  | { kind: 'argon2'; hash: string }
  | { kind: 'pbkdf2'; digest: Digest; iterations: number; salt: Buffer; key: Buffer }
  | { kind: 'scrypt'; n: number; r: number; p: number; salt: Buffer; key: Buffer }
  | { kind: 'firescrypt'; n: number; r: number; p: number; salt: Buffer; key: Buffer; separator: Buffer; signerKey: Buffer }
  | { kind: 'ssha'; digest: 'sha1' | 'sha256' | 'sha512'; salt: Buffer; sum: Buffer }
  | { kind: 'md5-crypt' | 'sha-crypt'; salt: string; crypt: string };

export interface ImportedHash {
  algorithm: ImportedHashAlgorithm;
  parsed: Parsed;
}

// Kratos's bounds (hash/hash_limits.go), and the crypt rounds a sign-in can afford
const MAX = { scryptN: 1 << 17, scryptLogN: 17, scryptR: 8, scryptP: 10, argonMemoryKiB: 1 << 20, argonT: 10, argonP: 16, pbkdf2I: 10_000_000, bcryptCost: 15, shaCryptRounds: 5_000_000 };
const MAX_HASH_LENGTH = 1024;

const B64_STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64_RAW = /^[A-Za-z0-9+/]*$/;
const B64_LOOSE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's base64.StdEncoding.Strict(): padded, canonical. */
function std(s: string): Buffer | undefined {
  if (!B64_STD.test(s)) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : undefined;
}

/** Go's base64.RawStdEncoding.Strict(): no padding, canonical. */
function raw(s: string): Buffer | undefined {
  if (!B64_RAW.test(s) || s.length % 4 === 1) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64').replace(/=+$/, '') === s ? b : undefined;
}

/** passlib's "adapted base64" (`.` for `+`, no padding), as its `$pbkdf2-sha256$rounds$salt$key` uses. */
function ab64(s: string): Buffer | undefined {
  return raw(s.replace(/\./g, '+'));
}

const int = (s: string | undefined): number => (s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : NaN);
const within = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
const powerOfTwo = (n: number) => n > 1 && (n & (n - 1)) === 0;

const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
// m,t,p as Kratos and the reference tool write them; m,p,t as node-argon2 (PHC, keys sorted) does
const ARGON2 = /^\$(argon2id|argon2i)\$v=19\$(m=\d+,t=\d+,p=\d+|m=\d+,p=\d+,t=\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const PBKDF2_KRATOS = /^\$pbkdf2-(sha1|sha224|sha256|sha384|sha512)\$i=(\d+),l=(\d+)\$([^$]*)\$([^$]*)$/;
const PBKDF2_PASSLIB = /^\$pbkdf2(?:-(sha256|sha512))?\$(\d+)\$([./A-Za-z0-9]*)\$([./A-Za-z0-9]+)$/;
const SCRYPT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]*)\$([^$]*)$/;
const FIRESCRYPT = /^\$firescrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]*)\$([^$]*)\$([^$]*)\$([^$]*)$/;
const SSHA = /^\{(SSHA|SSHA256|SSHA512)\}(.+)$/;
const MD5_CRYPT = /^\$md5-crypt\$([./0-9A-Za-z]{0,8})\$([./0-9A-Za-z]{22})$/;
const SHA_CRYPT = /^\$(sha256|sha512)-crypt\$(?:rounds=(\d+)\$)?([^$]{0,16})\$([./0-9A-Za-z]+)$/;

/** The imported hash this string is, or undefined (unknown, malformed, or beyond the bounds). */
export function parseImportedHash(hash: string): ImportedHash | undefined {
  if (hash.length > MAX_HASH_LENGTH) return undefined;
  let m: RegExpExecArray | null;
  if ((m = BCRYPT.exec(hash))) {
    return within(int(m[1]), 4, MAX.bcryptCost) ? { algorithm: 'bcrypt', parsed: { kind: 'bcrypt', hash } } : undefined;
  }
  if ((m = ARGON2.exec(hash))) {
    const params = Object.fromEntries(m[2]!.split(',').map((kv) => kv.split('=') as [string, string]));
    const [memory, t, p] = [int(params['m']), int(params['t']), int(params['p'])];
    const salt = raw(m[3]!);
    const key = raw(m[4]!);
    if (!within(memory, 8 * p, MAX.argonMemoryKiB) || !within(t, 1, MAX.argonT) || !within(p, 1, MAX.argonP)) return undefined;
    if (!salt || salt.length < 8 || !key || key.length < 4) return undefined;
    return { algorithm: m[1] as 'argon2id' | 'argon2i', parsed: { kind: 'argon2', hash } };
  }
  if ((m = PBKDF2_KRATOS.exec(hash))) {
    const digest = m[1] as Digest;
    const iterations = int(m[2]);
    const salt = raw(m[4]!);
    const key = raw(m[5]!);
    if (!within(iterations, 1, MAX.pbkdf2I) || !salt || !key || key.length === 0) return undefined;
    return { algorithm: `pbkdf2-${digest}`, parsed: { kind: 'pbkdf2', digest, iterations, salt, key } };
  }
  if ((m = PBKDF2_PASSLIB.exec(hash))) {
    const digest = (m[1] ?? 'sha1') as Digest;
    const iterations = int(m[2]);
    const salt = ab64(m[3]!);
    const key = ab64(m[4]!);
    if (!within(iterations, 1, MAX.pbkdf2I) || !salt || !key || key.length === 0) return undefined;
    return { algorithm: `pbkdf2-${digest}`, parsed: { kind: 'pbkdf2', digest, iterations, salt, key } };
  }
  if ((m = SCRYPT.exec(hash))) {
    // Kratos reads `ln` as N itself (its test vectors: ln=16384), not as log2(N)
    const [n, r, p] = [int(m[1]), int(m[2]), int(m[3])];
    const salt = std(m[4]!);
    const key = std(m[5]!);
    if (!powerOfTwo(n) || n > MAX.scryptN || !within(r, 1, MAX.scryptR) || !within(p, 1, MAX.scryptP) || !salt || !key || key.length === 0) return undefined;
    return { algorithm: 'scrypt', parsed: { kind: 'scrypt', n, r, p, salt, key } };
  }
  if ((m = FIRESCRYPT.exec(hash))) {
    const [logN, r, p] = [int(m[1]), int(m[2]), int(m[3])];
    const [salt, key, separator, signerKey] = [std(m[4]!), std(m[5]!), std(m[6]!), std(m[7]!)];
    if (!within(logN, 1, MAX.scryptLogN) || !within(r, 1, MAX.scryptR) || !within(p, 1, MAX.scryptP)) return undefined;
    if (!salt || !key || !separator || !signerKey || key.length === 0) return undefined;
    return { algorithm: 'firescrypt', parsed: { kind: 'firescrypt', n: 2 ** logN, r, p, salt, key, separator, signerKey } };
  }
  if ((m = SSHA.exec(hash))) {
    const digest = ({ SSHA: 'sha1', SSHA256: 'sha256', SSHA512: 'sha512' } as const)[m[1] as 'SSHA' | 'SSHA256' | 'SSHA512'];
    const size = { sha1: 20, sha256: 32, sha512: 64 }[digest];
    if (!B64_LOOSE.test(m[2]!)) return undefined;
    const decoded = Buffer.from(m[2]!, 'base64');
    if (decoded.length < size + 1) return undefined;
    return { algorithm: m[1]!.toLowerCase() as 'ssha' | 'ssha256' | 'ssha512', parsed: { kind: 'ssha', digest, sum: decoded.subarray(0, size), salt: decoded.subarray(size) } };
  }
  if ((m = MD5_CRYPT.exec(hash))) {
    return { algorithm: 'md5-crypt', parsed: { kind: 'md5-crypt', salt: `$1$${m[1]}$`, crypt: `$1$${m[1]}$${m[2]}` } };
  }
  if ((m = SHA_CRYPT.exec(hash))) {
    const sha512 = m[1] === 'sha512';
    if (m[4]!.length !== (sha512 ? 86 : 43)) return undefined;
    const rounds = m[2] === undefined ? undefined : int(m[2]);
    if (rounds !== undefined && !within(rounds, 1000, MAX.shaCryptRounds)) return undefined;
    const id = sha512 ? '$6$' : '$5$';
    const salt = `${id}${rounds !== undefined ? `rounds=${m[2]}$` : ''}${m[3]}`;
    return { algorithm: sha512 ? 'sha512-crypt' : 'sha256-crypt', parsed: { kind: 'sha-crypt', salt, crypt: `${salt}$${m[4]}` } };
  }
  return undefined;
}

const pbkdf2Async = promisify(pbkdf2);

function scryptAsync(password: Buffer, salt: Buffer, keyLength: number, o: { n: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: o.n, r: o.r, p: o.p, maxmem: 256 * o.n * o.r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Constant time for equal lengths; different lengths are no match (a length is no secret: it is the format's). */
function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `password` is the one `hash` was made from. Never throws: a hash that cannot be computed is no match. */
export async function verifyImportedHash(hash: ImportedHash, password: string): Promise<boolean> {
  const p = hash.parsed;
  const secret = Buffer.from(password, 'utf8');
  try {
    switch (p.kind) {
      case 'bcrypt': {
        const answer = await runCrypt({ kind: 'bcrypt', password, hash: p.hash });
        return answer.ok && answer.value === true;
      }
      case 'argon2':
        return await argon2.verify(p.hash, password);
      case 'pbkdf2':
        return same(await pbkdf2Async(secret, p.salt, p.iterations, p.key.length, PBKDF2_HMAC[p.digest]), p.key);
      case 'scrypt':
        return same(await scryptAsync(secret, p.salt, p.key.length, p), p.key);
      case 'firescrypt': {
        // Firebase's modified scrypt: scrypt(password, salt ‖ separator) keys AES-256-CTR (IV 0), which encrypts the signer key
        const derived = await scryptAsync(secret, Buffer.concat([p.salt, p.separator]), 32, p);
        const cipher = createCipheriv('aes-256-ctr', derived, Buffer.alloc(16));
        return same(Buffer.concat([cipher.update(p.signerKey), cipher.final()]), p.key);
      }
      case 'ssha':
        return same(createHash(p.digest).update(secret).update(p.salt).digest(), p.sum);
      case 'md5-crypt':
      case 'sha-crypt': {
        const answer = await runCrypt({ kind: p.kind, password, salt: p.salt });
        return answer.ok && typeof answer.value === 'string' && same(Buffer.from(answer.value), Buffer.from(p.crypt));
      }
    }
  } catch {
    return false;
  }
}
