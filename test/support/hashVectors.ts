import { createCipheriv, createHash, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

/** Vectors from Ory Kratos's own tests (hash/hasher_test.go), and vectors made here with the formats' reference tools. */
export const KRATOS_VECTORS: [string, string, string][] = [
  ['bcrypt', 'test', '$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6'],
  ['argon2id', 'test', '$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw'],
  ['argon2i', 'test', '$argon2i$v=19$m=65536,t=3,p=4$kk51rW/vxIVCYn+EG4kTSg$NyT88uraJ6im6dyha/M5jhXvpqlEdlS/9fEm7ScMb8c'],
  ['pbkdf2-sha256', 'test', '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI'],
  ['pbkdf2-sha512', 'test', '$pbkdf2-sha512$i=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc'],
  ['pbkdf2-sha224', 'test', '$pbkdf2-sha224$i=100000,l=32$A2nzbFd+wwzPSb+TqkF5Pw$9M4GM2yOYw/fZvsvQbF/0Ec8JO2u9O1MYRTfrDimX6o'],
  ['pbkdf2-sha384', 'test', '$pbkdf2-sha384$i=100000,l=32$xDInuz7Y/DPzZUnCaQXJmg$7ICaEa6jEqxbbCBbv4YzrBf39KYNAtc3Bj0QWKeB3Ck'],
  ['scrypt', 'test', '$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE='],
  ['firescrypt', '8x4WjoDbSxJZdR', '$firescrypt$ln=14,r=8,p=1$sPtDhWcd1MfdAw==$xbSou7FOl6mChCyzpCPIQ7tku7nsQMTFtyOZSXXd7tjBa4NtimOx7v42Gv2SfzPQu1oxM2/k4SsbOu73wlKe1A==$Bw==$YE0dO4bwD4JnJafh6lZZfkp1MtKzuKAXQcDCJNJNyeCHairWHKENOkbh3dzwaCdizzOspwr/FITUVlnOAwPKyw=='],
  ['ssha', 'test123', '{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a'],
  ['ssha256', 'test123', '{SSHA256}czO44OTV17PcF1cRxWrLZLy9xHd7CWyVYplr1rOhuMlx/7IK'],
  ['ssha512', 'test123', '{SSHA512}xPUl/px+1cG55rUH4rzcwxdOIPSB2TingLpiJJumN2xyDWN4Ix1WQG3ihnvHaWUE8MYNkvMi5rf0C9NYixHsE6Yh59M='],
  ['md5-crypt', 'test', '$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/'],
  ['md5-crypt', 'test', '$md5-crypt$$whuMjZj.HMFoaTaZRRtkO0'],
  ['sha256-crypt', 'test', '$sha256-crypt$rounds=535000$05R.9KB6UC2kLI3w$Q/zslzx./JjkAVPTwp6th7nW5l7JU91Gte/UmIh.U78'],
  ['sha512-crypt', 'ory', '$sha512-crypt$rounds=656000$0baQbxBrfpKqvizk$Q9cYk1MeNAlECPgpG3jjfNI2DumLqd0yHbxzLdxiX6nsSD5i9n0awcbiCf8R5DzpIYxeBPznPcb1wtzlgUKtH0'],
];

/** Hashes of `password` made here, one per format, with the reference libraries (not the verifier under test). */
export async function generatedVectors(password: string): Promise<[string, string][]> {
  const salt = randomBytes(16);
  const b64 = (b: Buffer) => b.toString('base64');
  const raw = (b: Buffer) => b64(b).replace(/=+$/, '');
  // Kratos's pbkdf2-sha224 and -sha384 are SHA3-224 and SHA3-384 (hash/hasher_pbkdf2.go)
  const hmac: Record<string, string> = { sha224: 'sha3-224', sha384: 'sha3-384' };
  const pbkdf2 = (d: string) => `$pbkdf2-${d}$i=1000,l=32$${raw(salt)}$${raw(pbkdf2Sync(password, salt, 1000, 32, hmac[d] ?? d))}`;
  const signer = randomBytes(32);
  const sep = Buffer.from([7]);
  const fireKey = scryptSync(password, Buffer.concat([salt, sep]), 32, { N: 1 << 10, r: 8, p: 1 });
  const c = createCipheriv('aes-256-ctr', fireKey, Buffer.alloc(16));
  const fire = Buffer.concat([c.update(signer), c.final()]);
  const ssha = (d: string, tag: string) => `{${tag}}${b64(Buffer.concat([createHash(d).update(password).update(salt).digest(), salt]))}`;
  const argon = (type: 0 | 1 | 2) => argon2.hash(password, { type, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  return [
    ['bcrypt', bcrypt.hashSync(password, 4)],
    ['bcrypt', bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$')],
    ['argon2id', await argon(argon2.argon2id)],
    ['argon2i', await argon(argon2.argon2i)],
    ['pbkdf2-sha1', pbkdf2('sha1')],
    ['pbkdf2-sha224', pbkdf2('sha224')],
    ['pbkdf2-sha256', pbkdf2('sha256')],
    ['pbkdf2-sha384', pbkdf2('sha384')],
    ['pbkdf2-sha512', pbkdf2('sha512')],
    // passlib's PHC-style form: rounds alone, adapted base64
    ['pbkdf2-sha256', `$pbkdf2-sha256$1000$${raw(salt).replace(/\+/g, '.')}$${raw(pbkdf2Sync(password, salt, 1000, 32, 'sha256')).replace(/\+/g, '.')}`],
    ['scrypt', `$scrypt$ln=1024,r=8,p=1$${b64(salt)}$${b64(scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 }))}`],
    ['firescrypt', `$firescrypt$ln=10,r=8,p=1$${b64(salt)}$${b64(fire)}$${b64(sep)}$${b64(signer)}`],
    ['ssha', ssha('sha1', 'SSHA')],
    ['ssha256', ssha('sha256', 'SSHA256')],
    ['ssha512', ssha('sha512', 'SSHA512')],
  ];
}

