import argon2 from 'argon2';
import { checkPasswordPolicy, passwordLength } from '../src/domain/passwordPolicy';
import { DEFAULT_TENANT_SETTINGS } from '../src/domain/tenantSettings';
import { ARGON2_PARAMS, PasswordHasher } from '../src/security/passwordHashing';
import { Sealer } from '../src/security/sealing';
import { randomBytes } from 'node:crypto';
import { useTestEnv } from './support/env';

const ctx = { email: 'alice.smith@example.com', displayName: 'Alice Smith', tenantId: 'wonderland', tenantName: 'Wonderland Ltd' };
const rules = (password: string, policy = DEFAULT_TENANT_SETTINGS.passwordPolicy) => checkPasswordPolicy(password, policy, ctx).map((v) => v.rule);

describe('password policy', () => {
  test('length counts code points after NFKC normalisation', () => {
    expect(passwordLength('😀'.repeat(12))).toBe(12); // 24 UTF-16 units, 12 code points
    expect(passwordLength('ﬁ')).toBe(2); // the ligature normalises to "fi"
    expect(rules('😀🐢🌵🎈🚲🍋🧭🪁🎻🦉🧩🌋')).toEqual([]);
    expect(passwordLength('ｇｌａｃｉｅｒ')).toBe(7); // full-width letters normalise to ASCII
    expect(rules('ｇｌａｃｉｅｒ-ｔｉｃ')).toContain('min_length');
  });
  test('no composition rules: long lower-case passphrases pass', () => {
    expect(rules('correct horse battery staple')).toEqual([]);
  });
  test('common and guessable passwords are blocked', () => {
    for (const p of ['password1234', 'qwertyuiop123', 'aaaaaaaaaaaaaaa', 'abcdefghijklmnop', 'iloveyou12345']) expect(rules(p)).toContain('common_password');
    expect(rules('password1234', { ...DEFAULT_TENANT_SETTINGS.passwordPolicy, blockCommonPasswords: false })).toEqual([]);
  });
  test('personal information: email local part, name, tenant', () => {
    expect(rules('my-name-is-alice-ok')).toContain('personal_info');
    expect(rules('smith-family-rules-99')).toContain('personal_info');
    expect(rules('wonderland-rabbit-hole')).toContain('personal_info');
    expect(rules('wonderland-rabbit-hole', { ...DEFAULT_TENANT_SETTINGS.passwordPolicy, forbidPersonalInfo: false })).toEqual([]);
  });
  test('minimum and maximum length', () => {
    expect(rules('x7#k')).toEqual(expect.arrayContaining(['min_length']));
    expect(rules('lantern-'.repeat(20))).toContain('max_length');
  });
});

describe('sealing', () => {
  const sealer = new Sealer(randomBytes(32));
  test('opens only with the same key and context', () => {
    const sealed = sealer.seal('lantern-oyster-kettle-21', 'password:t:u:op');
    expect(sealed).not.toContain('lantern');
    expect(sealer.unseal(sealed, 'password:t:u:op')).toBe('lantern-oyster-kettle-21');
    expect(() => sealer.unseal(sealed, 'password:t:other-user:op')).toThrow('does not open');
    expect(() => new Sealer(randomBytes(32)).unseal(sealed, 'password:t:u:op')).toThrow('unknown key');
    const tampered = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'BBB' : 'AAA');
    expect(() => sealer.unseal(tampered, 'password:t:u:op')).toThrow();
  });
  test('a rotated key still opens values sealed under the previous one', () => {
    const oldKey = randomBytes(32);
    const sealed = new Sealer(oldKey).seal('x', 'c');
    expect(new Sealer(randomBytes(32), oldKey).unseal(sealed, 'c')).toBe('x');
  });
});

describe('hashing', () => {
  test('argon2id with the configured parameters; NFKC-equivalent passwords verify', async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('ﬁsh-and-chips-forever');
    expect(hash.startsWith(`$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},p=${ARGON2_PARAMS.parallelism},t=${ARGON2_PARAMS.timeCost}$`)).toBe(true);
    expect(await hasher.verify(hash, 'fish-and-chips-forever')).toBe(true);
    expect(await hasher.verify(hash, 'fish-and-chips-forevex')).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });
});

describe('re-hashing at sign-in', () => {
  const env = useTestEnv({ worker: false });
  test('a hash with outdated parameters is replaced at the next successful sign-in', async () => {
    const tenant = await env.tenant();
    const user = await env.user(tenant, { password: 'glacier-ticket-marble-74' });
    const old = await argon2.hash('glacier-ticket-marble-74', { type: argon2.argon2i, memoryCost: 4096, timeCost: 3, parallelism: 1 });
    await env.pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, old]);
    expect((await env.signIn(tenant, user.email, 'glacier-ticket-marble-74')).body.result).toBe('signed_in');
    const { rows } = await env.pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(rows[0].password_hash).not.toBe(old);
    expect(rows[0].password_hash.startsWith('$argon2id$')).toBe(true);
    expect(new PasswordHasher().needsRehash(rows[0].password_hash)).toBe(false);
    expect((await env.signIn(tenant, user.email, 'glacier-ticket-marble-74')).body.result).toBe('signed_in');
  });
});
