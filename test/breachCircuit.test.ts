import { PwnedPasswordsClient, type BreachLookupOutcome } from '../src/security/breachedPasswords';
import { PwnedRangeServer } from '../dev/pwnedRangeServer';

/**
 * The breached-password lookup's circuit breaker: a range API that keeps failing is left alone for a while, so
 * each sign-in or reset that needs a lookup is let through at once instead of waiting out the 2 s budget; then
 * one lookup tries the API again, and its answer closes the circuit.
 */
const server = new PwnedRangeServer(['hunter2-but-longer']);
let url = '';
beforeAll(async () => {
  url = await server.listen(0);
});
afterAll(() => server.close());

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}

test('a range API that keeps failing is skipped (circuit_open, the password let through at once), then tried again and trusted when it answers', async () => {
  const outcomes: BreachLookupOutcome[] = [];
  const failures: string[] = [];
  const client = new PwnedPasswordsClient({
    baseUrl: url,
    timeoutMs: 150,
    breaker: { volumeThreshold: 3, resetTimeoutMs: 400 },
    observe: (o) => outcomes.push(o),
    onFailure: (o, e) => failures.push(`${o}: ${e}`),
  });

  server.mode = 'hang';
  // three lookups of different prefixes, each waiting out its budget
  for (const p of ['alpha-quartz-1', 'beta-quartz-2', 'gamma-quartz-3']) expect(await client.isBreached(p)).toBeUndefined();
  expect(outcomes).toEqual(['timeout', 'timeout', 'timeout']);
  expect(client.circuit).toBe('open');
  expect(failures.filter((f) => f.startsWith('circuit_open'))).toHaveLength(1);

  // open: the range API is not asked (the answer does not wait for it), and the password is let through
  const asked = server.requests.length;
  expect(await client.isBreached('hunter2-but-longer')).toBeUndefined();
  expect(outcomes.at(-1)).toBe('circuit_open');
  expect(server.requests.length).toBe(asked);

  // the API is back; after the reset time one lookup tries it, finds the breached password, and closes the circuit
  server.mode = 'ok';
  await until(() => client.circuit === 'half_open');
  expect(await client.isBreached('hunter2-but-longer')).toBe(true);
  expect(outcomes.at(-1)).toBe('breached');
  expect(client.circuit).toBe('closed');
  expect(server.requests.length).toBe(asked + 1);
  expect(await client.isBreached('delta-quartz-4')).toBe(false);
});

test('a half-open circuit whose one trial fails opens again, without a second trial in flight', async () => {
  const outcomes: BreachLookupOutcome[] = [];
  const client = new PwnedPasswordsClient({ baseUrl: url, timeoutMs: 150, breaker: { volumeThreshold: 2, resetTimeoutMs: 300 }, observe: (o) => outcomes.push(o) });
  server.mode = 'error';
  try {
    for (const p of ['eps-1', 'eps-2']) expect(await client.isBreached(p)).toBeUndefined();
    expect(client.circuit).toBe('open');
    await until(() => client.circuit === 'half_open');
    const asked = server.requests.length;
    // two lookups at once: one is the trial, the other is not sent
    const both = await Promise.all([client.isBreached('eps-3'), client.isBreached('eps-4')]);
    expect(both).toEqual([undefined, undefined]);
    expect(server.requests.length).toBe(asked + 1);
    expect(outcomes.slice(-2).sort()).toEqual(['circuit_open', 'unreachable']);
    expect(client.circuit).toBe('open');
  } finally {
    server.mode = 'ok';
  }
});
