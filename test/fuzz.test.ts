import { runFuzz, type FuzzReport } from './fuzz/harness';
import { useTestEnv } from './support/env';

/**
 * Property-based fuzzing of every route of /openapi.json (and the HTML pages): no 5xx but a
 * documented 503, every JSON error a documented problem document, nothing written on a 4xx,
 * nothing invalid accepted. Each failing route prints its minimal failing request (after
 * fast-check's shrinking) and the answer. A bounded pass runs in `npm test`; `npm run fuzz --
 * --runs 10000` runs long.
 *
 *   FUZZ_RUNS=25 (per route)  FUZZ_SEED=…  FUZZ_BUDGET_MS=75000 (whole run)  FUZZ_ROUTE="POST /auth/sign-in"
 *   FUZZ_STRICT=1 also fails on "should" findings; FUZZ_VERBOSE=1 prints progress per route;
 *   FUZZ_SWEEP=1 first sends every single-part mutation of a valid request once (~4,000 requests, minutes)
 */
const runs = Number(process.env['FUZZ_RUNS'] ?? 25);
const budgetMs = Number(process.env['FUZZ_BUDGET_MS'] ?? 75_000);
const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Date.now() % 2 ** 31;
const METRICS_TOKEN = 'fuzz-metrics-token-0123456789';

const env = useTestEnv({ env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_ACCOUNT: '1000000', RATE_LIMIT_ACCOUNT_CEILING: '1000000', METRICS_TOKEN } });

test(
  'every route survives fuzzing',
  async () => {
    const openapi = await (await fetch(`${env.baseUrl}/openapi.json`)).json();
    const report: FuzzReport = await runFuzz({
      baseUrl: env.baseUrl,
      adminKey: env.adminKey,
      openapi,
      pool: env.pool,
      runs,
      seed,
      mode: 'assert',
      failOn: process.env['FUZZ_STRICT'] ? ['must', 'should'] : ['must'],
      totalBudgetMs: budgetMs,
      sweep: Boolean(process.env['FUZZ_SWEEP']),
      mailbox: () => env.sink.messages,
      metricsToken: METRICS_TOKEN,
      // the mail webhook's HTTP Basic, which is no admin key
      credentials: { mailWebhook: [`Basic ${Buffer.from(`${env.webhookCredentials.user}:${env.webhookCredentials.password}`).toString('base64')}`] },
      ...(process.env['FUZZ_ROUTE'] ? { only: [process.env['FUZZ_ROUTE']] } : {}),
      ...(process.env['FUZZ_VERBOSE'] ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}),
    });
    const requests = Object.values(report.stats).reduce((n, s) => n + s.runs, 0);
    if (!report.ok) {
      throw new Error(
        `fuzzing found ${report.failures.length} failing route(s) in ${requests} requests (seed ${seed}; replay with FUZZ_SEED=${seed}):\n\n${report.failures.join('\n\n')}`,
      );
    }
    expect(report.operations.length).toBeGreaterThan(30);
    expect(requests).toBeGreaterThan(report.operations.length * 5);
  },
  budgetMs + 120_000,
);
