import {
  checkPasswordFor,
  checkPasswordPolicy,
  normalizePassword,
  passwordLength,
  policyFailure,
  reuseViolation,
  type PersonalContext,
} from '../../src/domain/passwordPolicy';
import { DEFAULT_TENANT_SETTINGS, type PasswordPolicy } from '../../src/domain/tenantSettings';

/** A tenant's stateless password policy (src/domain/passwordPolicy.ts): pure, no stack. */

const ctx: PersonalContext = { email: 'jane.doe@example.com', displayName: 'Jane Q Doe', tenantId: 'acme-corp', tenantName: 'Acme Widgets' };
const policy = (p: Partial<PasswordPolicy> = {}): PasswordPolicy => ({ ...DEFAULT_TENANT_SETTINGS.passwordPolicy, ...p });
/** Only the length rules: no dictionary, no personal words. */
const lengthOnly = (minLength: number, maxLength: number) => policy({ minLength, maxLength, blockCommonPasswords: false, forbidPersonalInfo: false });
const rules = (password: string, p: PasswordPolicy = policy(), c: PersonalContext = ctx) => checkPasswordPolicy(password, p, c).map((v) => v.rule);
/** Random-looking text: far beyond 10^8 guesses at any length from 12, contains no personal word. */
const strong = (length: number) => 'zq8#Lm2!vR7@kPx5%Tn3^Yb6&Hg9*Wc4'.repeat(8).slice(0, length);

describe('normalizePassword and passwordLength', () => {
  it('normalises to NFKC: compatibility forms and combining marks give the same password', () => {
    expect(normalizePassword('ＡＢＣ１２３')).toBe('ABC123');
    expect(normalizePassword('ﬁle')).toBe('file');
    expect(normalizePassword('caf\u0065\u0301')).toBe(normalizePassword('caf\u00e9'));
    expect(normalizePassword('Ω')).toBe(normalizePassword('\u2126'));
  });

  it('counts Unicode code points after normalisation, not UTF-16 units', () => {
    expect(passwordLength('😀')).toBe(1);
    expect('😀'.length).toBe(2);
    expect(passwordLength('e\u0301')).toBe(1);
    expect(passwordLength('ﬁ')).toBe(2);
    expect(passwordLength('')).toBe(0);
  });
});

describe('checkPasswordPolicy: length', () => {
  it('accepts exactly minLength characters and refuses one fewer, saying how many it has', () => {
    expect(checkPasswordPolicy(strong(12), lengthOnly(12, 128), ctx)).toEqual([]);
    expect(checkPasswordPolicy(strong(11), lengthOnly(12, 128), ctx)).toEqual([
      { rule: 'min_length', message: 'Use at least 12 characters (this has 11).' },
    ]);
  });

  it('accepts exactly maxLength characters and refuses one more', () => {
    expect(checkPasswordPolicy(strong(64), lengthOnly(8, 64), ctx)).toEqual([]);
    expect(checkPasswordPolicy(strong(65), lengthOnly(8, 64), ctx)).toEqual([
      { rule: 'max_length', message: 'Use at most 64 characters (this has 65).' },
    ]);
  });

  it('measures the normalised password in code points: 11 emoji are too short for 12, 6 ligatures "ﬁ" are long enough', () => {
    expect(checkPasswordPolicy('🔑🌵🚲🎻🦊🌋🧩🛶🪁🍋🦉', lengthOnly(12, 128), ctx)).toEqual([
      { rule: 'min_length', message: 'Use at least 12 characters (this has 11).' },
    ]);
    expect(rules('ﬁ'.repeat(6), lengthOnly(12, 128))).toEqual([]);
    expect(rules('ﬁ'.repeat(33), lengthOnly(8, 64))).toEqual(['max_length']);
  });

  it('an empty password is too short (and nothing else is said of it without the dictionary)', () => {
    expect(rules('', lengthOnly(8, 64))).toEqual(['min_length']);
  });
});

describe('checkPasswordPolicy: common passwords', () => {
  it.each(['password123456', 'Password1234!', 'p@ssw0rd12345', 'iloveyou123456', 'qwertyuiopasdf', 'aaaaaaaaaaaaaa', 'abcdefghijklmn'])(
    'refuses %j (a listed password, a l33t or keyboard pattern, a repetition or a sequence)',
    (password) => expect(rules(password)).toEqual(['common_password']),
  );

  it.each(['violet tractor harbour', 'correcthorsebatterystaple', 'Tr0ub4dor&3xyz', strong(14)])('accepts %j', (password) => {
    expect(rules(password)).toEqual([]);
  });

  it('does not check the dictionary when the tenant turns it off', () => {
    expect(rules('password123456', policy({ blockCommonPasswords: false }))).toEqual([]);
  });

  it('does not measure a password already over the maximum (it is refused for its length alone)', () => {
    expect(rules('a'.repeat(65), policy({ maxLength: 64 }))).toEqual(['max_length']);
    expect(rules('a'.repeat(64), policy({ maxLength: 64 }))).toEqual(['common_password']);
  });

  it('reports every rule a password breaks, in a stable order', () => {
    expect(rules('jane1', policy())).toEqual(['min_length', 'personal_info', 'common_password']);
  });
});

describe('checkPasswordPolicy: personal information', () => {
  const base = 'violet tractor harbour';
  const message = 'Do not use your email address, your name or the organisation name in the password.';

  it.each([
    ['the whole local part of the email', 'jane.doe'],
    ['a word of the local part', 'jane'],
    ['the display name', 'Jane Q Doe'],
    ['the tenant id', 'acme-corp'],
    ['a part of the tenant id', 'corp'],
    ['the tenant name', 'Acme Widgets'],
    ['a word of the tenant name', 'widgets'],
  ])('refuses %s (%j) anywhere in the password, in any case', (_what, word) => {
    expect(checkPasswordPolicy(`${base} ${word}`, policy(), ctx)).toEqual([{ rule: 'personal_info', message }]);
    expect(rules(`${word.toUpperCase()}${base}`)).toEqual(['personal_info']);
  });

  it('compares after normalisation: a full-width spelling of a name is the name', () => {
    expect(rules(`${base} ＪＡＮＥ`)).toEqual(['personal_info']);
  });

  it('ignores words shorter than four characters (they would forbid too much)', () => {
    const c: PersonalContext = { email: 'jo.li@example.com', displayName: 'Jo Li', tenantId: 'ab-cd', tenantName: 'Abc Ltd' };
    expect(rules(`${base} li jo cd ab ltd abc`, policy(), c)).toEqual([]);
    expect(rules(`${base} jo.li`, policy(), c)).toEqual(['personal_info']);
  });

  it('splits the local part at dots, underscores, plus signs and hyphens', () => {
    const c: PersonalContext = { email: 'first_second+third-fourth@example.com', displayName: null, tenantId: 't1', tenantName: 'T1' };
    for (const word of ['first', 'second', 'third', 'fourth']) expect([word, rules(`${base} ${word}`, policy(), c)]).toEqual([word, ['personal_info']]);
  });

  it('works without a display name, and is not checked when the tenant turns it off', () => {
    expect(rules(`${base} jane`, policy(), { ...ctx, displayName: null })).toEqual(['personal_info']);
    expect(rules(`${base} jane`, policy({ forbidPersonalInfo: false }))).toEqual([]);
  });
});

describe('checkPasswordFor', () => {
  it('checks the tenant\'s policy with the tenant\'s and the user\'s words', () => {
    const tenant = { id: 'globex', name: 'Globex Corporation', settings: { passwordPolicy: policy({ minLength: 16 }) } };
    const user = { email: 'hank@globex.test', displayName: 'Hank Scorpio' };
    expect(checkPasswordFor('violet tractor harbour', tenant, user)).toEqual([]);
    expect(checkPasswordFor('violet scorpio harbour', tenant, user).map((v) => v.rule)).toEqual(['personal_info']);
    expect(checkPasswordFor('violet corporation', tenant, user).map((v) => v.rule)).toEqual(['personal_info']);
    expect(checkPasswordFor('violet tractor', tenant, user)).toEqual([
      { rule: 'min_length', message: 'Use at least 16 characters (this has 14).' },
    ]);
  });
});

describe('policyFailure and reuseViolation', () => {
  it('a password with no violation passes; any violation is a password_policy failure carrying them all', () => {
    expect(policyFailure([])).toBeUndefined();
    const violations = [reuseViolation(5), { rule: 'min_length' as const, message: 'short' }];
    expect(policyFailure(violations)).toEqual({ ok: false, code: 'password_policy', violations });
  });

  it('names how many previous passwords are remembered', () => {
    expect(reuseViolation(3)).toEqual({ rule: 'reused', message: 'Choose a password you have not used for your last 3 passwords.' });
  });
});
