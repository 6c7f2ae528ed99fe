import { INITIAL, useTestEnv } from '../support/env';

/**
 * Throttling an attacker can neither race nor turn against the user. Client addresses
 * come from X-Forwarded-For (TRUST_PROXY=loopback, as behind a proxy).
 */
const env = useTestEnv({ worker: false, env: { TRUST_PROXY: 'loopback', RATE_LIMIT_PER_ACCOUNT: '10', RATE_LIMIT_ACCOUNT_CEILING: '20' } });

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const signIn = (tenant: string, email: string, password: string, ip: string) =>
  env.http('POST', '/auth/sign-in', { body: { tenant, email, password }, auth: null, headers: from(ip) });

test('25 parallel wrong passwords hit the limit like 25 sequential ones: ten answered, the rest 429 before any argon2', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => signIn(tenant, user.email, `wrong-guess-${i}-xyz`, '203.0.113.7')));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(10);
  expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  expect(Number(answers.find((a) => a.status === 429)!.headers.get('retry-after'))).toBeGreaterThan(0);
});

test('an email of any accepted length throttles the same way (the key is a digest), never a 500', async () => {
  const tenant = await env.tenant();
  const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.example`.slice(0, 254);
  expect(email.length).toBe(254);
  const statuses = [];
  for (let i = 0; i < 11; i++) statuses.push((await signIn(tenant, email, `wrong-guess-${i}-xyz`, '203.0.113.8')).status);
  expect(statuses).toEqual([...Array(10).fill(401), 429]);
});

test('a stranger cannot lock the user out: their failures throttle their address; the right password from another address works', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  for (let i = 0; i < 10; i++) expect((await signIn(tenant, user.email, `attacker-guess-${i}`, '198.51.100.1')).status).toBe(401);
  expect((await signIn(tenant, user.email, INITIAL, '198.51.100.1')).status).toBe(429); // even the right password, from there
  expect((await signIn(tenant, user.email, INITIAL, '192.0.2.44')).body.result).toBe('signed_in');
});

test('a distributed attack meets the account-wide ceiling: short 429s (a minute at most), for every address', async () => {
  const tenant = await env.tenant();
  const user = await env.user(tenant, { password: INITIAL });
  // 20 failures from 20 addresses reach the ceiling; each address is far below its own limit
  for (let i = 0; i < 20; i++) expect((await signIn(tenant, user.email, `botnet-guess-${i}`, `10.9.0.${i + 1}`)).status).toBe(401);
  const blocked = await signIn(tenant, user.email, INITIAL, '192.0.2.99');
  expect({ status: blocked.status, code: blocked.body.code }).toEqual({ status: 429, code: 'rate_limited' });
  expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
});

test("the limiter's store failing is a 503, not a 500", async () => {
  const tenant = await env.tenant();
  await env.pool.query('ALTER TABLE rate_limits RENAME TO rate_limits_away');
  try {
    const res = await signIn(tenant, 'someone@example.com', INITIAL, '203.0.113.9');
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'temporarily_unavailable' });
    expect(res.headers.get('retry-after')).toBeTruthy();
  } finally {
    await env.pool.query('ALTER TABLE rate_limits_away RENAME TO rate_limits');
  }
});
