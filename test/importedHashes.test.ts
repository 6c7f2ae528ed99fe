import { parseImportedHash, verifyImportedHash } from '../src/security/legacyHashes';
import { generatedVectors, KRATOS_VECTORS } from './support/hashVectors';

describe('imported password hashes (the formats of Kratos’s identity import)', () => {
  test.each(KRATOS_VECTORS)('%s: Kratos’s vector verifies with the right password only', async (algorithm, password, hash) => {
    const parsed = parseImportedHash(hash);
    expect(parsed?.algorithm).toBe(algorithm);
    expect(await verifyImportedHash(parsed!, password)).toBe(true);
    expect(await verifyImportedHash(parsed!, `${password}x`)).toBe(false);
  }, 30_000);

  test('generated vectors of every format, with a non-ASCII password', async () => {
    const password = 'Grüße-aus-Köln 42';
    for (const [algorithm, hash] of await generatedVectors(password)) {
      const parsed = parseImportedHash(hash);
      expect([algorithm, parsed?.algorithm]).toEqual([algorithm, algorithm]);
      expect([hash, await verifyImportedHash(parsed!, password)]).toEqual([hash, true]);
      expect([hash, await verifyImportedHash(parsed!, 'Grüße-aus-Köln 43')]).toEqual([hash, false]);
    }
  }, 60_000);

  test.each([
    ['unknown prefix', '$unknown$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6'],
    ['plain text', 'hunter2'],
    ['bcrypt cut short', '$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkf'],
    ['bcrypt cost over 15', '$2a$16$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6'],
    ['pbkdf2 without parameters', '$pbkdf2-sha256$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI'],
    ['pbkdf2 bad base64', '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxX(c$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI'],
    ['pbkdf2 upper-case parameter', '$pbkdf2-sha512$I=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc'],
    ['scrypt N not a power of two', '$scrypt$ln=16385,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE='],
    ['scrypt N over 2^17', '$scrypt$ln=1048576,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE='],
    ['scrypt without parameters', '$scrypt$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE='],
    ['argon2 memory over 1 GiB', '$argon2id$v=19$m=2097152,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw'],
    ['argon2 old version', '$argon2id$v=16$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw'],
    ['SSHA too short', '{SSHA}tooshort'],
    ['SSHA unknown digest', '{SSHAnotExistent}xPUl/px+1cG55rUH4rzcwxdOIPSB2TingLpiJJumN2xyDWN4Ix1WQG3ihnvHaWUE8MYNkvMi5rf0C9NYixHsE6Yh59M='],
    ['md5-crypt without salt section', '$md5-crypt$whuMjZj.HMFoaTaZRRtkO0'],
    ['sha256-crypt empty', '$sha256-crypt$$'],
    ['sha512-crypt empty', '$sha512-crypt$$$'],
    ['firescrypt missing parts', '$firescrypt$ln=14,r=8,p=1$sPtDhWcd1MfdAw==$xbSou7FOl6mChCyzpCPIQ7tku7nsQMTFtyOZSXXd7tjBa4NtimOx7v42Gv2SfzPQu1oxM2/k4SsbOu73wlKe1A=='],
  ])('malformed or unsupported: %s', (_what, hash) => {
    expect(parseImportedHash(hash)).toBeUndefined();
  });
});
