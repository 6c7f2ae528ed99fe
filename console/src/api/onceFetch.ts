/**
 * The console's fetch: every request that changes state carries a fresh
 * Idempotency-Key, and when the answer is lost (the network failed, a 503 says the
 * action may still be applied, or the first attempt is still running) the console
 * retries a few times with the *same* key, so the server applies the action once
 * and answers with its outcome (docs/security.md, "Idempotency that means one operation").
 */
const RETRIES = [500, 1500];
const RETRYABLE = new Set([503, 409]);

function newKey(): string {
  return `console-${crypto.randomUUID()}`;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function onceFetch(input: Request): Promise<Response> {
  if (input.method === 'GET' || input.method === 'HEAD') return fetch(input);
  const request = input.headers.has('idempotency-key') ? input : new Request(input, { headers: withKey(input.headers) });
  for (let attempt = 0; ; attempt++) {
    const delay = RETRIES[attempt];
    try {
      const res = await fetch(request.clone());
      if (delay === undefined || !RETRYABLE.has(res.status)) return res;
      await wait(Math.min(Number(res.headers.get('retry-after')) * 1000 || delay, 5000));
    } catch (err) {
      if (delay === undefined) throw err;
      await wait(delay);
    }
  }
}

function withKey(headers: Headers): Headers {
  const h = new Headers(headers);
  h.set('Idempotency-Key', newKey());
  return h;
}
