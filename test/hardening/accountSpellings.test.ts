import { randomBytes } from 'node:crypto';
import { eventually, TestEnv } from '../support/env';

/**
 * One account, however its address is spelled (issue 17): every per-account limit and cap counts the
 * account once. Spellings PostgreSQL's lookup takes for the same account (U+0130 İ, upper case) share one
 * count; those it takes for another address (ß, the Kelvin sign, fullwidth letters, NFKC variants) reach
 * no account of this user, so they can never add attempts against it.
 */
const PASSWORD = 'glacier-ticket-marble-74';
let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.start({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_PER_ACCOUNT: '10', RATE_LIMIT_ACCOUNT_CEILING: '100' } });
});
afterAll(async () => {
  await env?.close();
});

const signIn = (tenant: string, email: string, password: string, ip: string) =>
  env.http('POST', '/auth/sign-in', { body: { tenant, email, password }, auth: null, headers: { 'x-forwarded-for': ip } });

/** The address `kiss-…@example.com` spelled every way the review tried. */
function spellings(local: string): string[] {
  const at = '@example.com';
  return [
    `${local.replace('i', '\u0130')}${at}`, // İ, LATIN CAPITAL LETTER I WITH DOT ABOVE
    `${local.toUpperCase()}${at.toUpperCase()}`,
    `${local.replace('k', '\u212a')}${at}`, // KELVIN SIGN
    `${local.replace('ss', '\u00df')}${at}`, // ß
    `${local.replace('kiss', '\uff4b\uff49\uff53\uff53')}${at}`, // fullwidth letters
    `${local.replace('i', 'i\u0307')}${at}`, // i with a combining dot above (what toLowerCase makes of İ)
    `${local.normalize('NFD').replace('k', 'K')}${at}`,
  ];
}

test('every spelling that signs in as the account shares its failure limit; no spelling adds attempts', async () => {
  const tenant = await env.tenant();
  const local = `kiss-${randomBytes(3).toString('hex')}`;
  const email = `${local}@example.com`;
  await env.user(tenant, { password: PASSWORD, email });
  const variants = spellings(local);
  // which spellings reach the account: the right password from an address of its own signs in
  const reaching: string[] = [];
  for (const [i, v] of variants.entries()) {
    const res = await signIn(tenant, v, PASSWORD, `198.51.100.${i + 1}`);
    expect([200, 401, 400]).toContain(res.status); // never a 500
    if (res.body.result === 'signed_in') reaching.push(v);
  }
  expect(reaching).toContain(variants[0]); // İ is the same account to PostgreSQL's lower()
  expect(reaching).toContain(variants[1]);

  // ten failures spread over the spellings that reach it, from one address: then every spelling is refused
  const same = [email, ...reaching];
  for (let i = 0; i < 10; i++) expect((await signIn(tenant, same[i % same.length]!, `wrong-guess-${i}`, '203.0.113.9')).status).toBe(401);
  for (const v of same) expect((await signIn(tenant, v, PASSWORD, '203.0.113.9')).status).toBe(429);
});

test('a user sent reset emails under every spelling gets at most the cap (5 an hour), not one cap per spelling', async () => {
  const tenant = await env.tenant();
  const local = `kiss-${randomBytes(3).toString('hex')}`;
  const email = `${local}@example.com`;
  await env.user(tenant, { password: PASSWORD, email });
  const same = [email, email.toUpperCase(), spellings(local)[0]!]; // three spellings of one account
  const answers: number[] = [];
  for (let i = 0; i < 9; i++) {
    const res = await env.http('POST', '/auth/password-reset-request', { body: { tenant, email: same[i % 3] }, auth: null, headers: { 'x-forwarded-for': `192.0.2.${i + 1}` } });
    answers.push(res.status);
  }
  expect(answers.filter((s) => s === 202)).toHaveLength(5);
  expect(answers.slice(5)).toEqual([429, 429, 429, 429]);
  // and five links were issued, no more
  await eventually(async () => ((await env.pool.query('SELECT count(*)::int AS n FROM password_resets WHERE tenant_id = $1', [tenant])).rows[0].n === 5 ? true : undefined), 'five links');
});
