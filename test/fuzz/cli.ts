import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describeDefect, runFuzz, type FuzzReport, type Queryable, type Severity } from './harness';

/**
 * npm run fuzz -- --runs N [--seed S] [--route "POST /auth/sign-in"]… [--assert] [--strict] [--sweep] [--idempotency]
 *                 [--base-url URL --admin-key KEY --database-url URL [--mailbox-url URL]] [--out report.json]
 *                 [--ignore-tables rate_limits] (tables a 4xx may write: attempt counters)
 *
 * Without --base-url it starts a throwaway stack (scripts/throwawayStack, built by `npm run build`).
 * Default mode "collect": every distinct defect of every route, each shrunk to a minimal request.
 * --assert: stop each route at its first failure (what the jest test does).
 * --sweep: first send every single-part mutation of one valid request, once each (~4,000 requests).
 * --idempotency: also replay mutating requests with one Idempotency-Key (api.md: 422 idempotency_key_reused).
 */

interface Args {
  runs: number;
  seed: number | undefined;
  routes: string[];
  mode: 'assert' | 'collect';
  strict: boolean;
  idempotency: boolean;
  sweep: boolean;
  baseUrl: string | undefined;
  adminKey: string | undefined;
  databaseUrl: string | undefined;
  mailboxUrl: string | undefined;
  out: string | undefined;
  budgetMs: number | undefined;
  ignoreTables: string[] | undefined;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { runs: 25, seed: undefined, routes: [], mode: 'collect', strict: false, idempotency: false, sweep: false, baseUrl: undefined, adminKey: undefined, databaseUrl: undefined, mailboxUrl: undefined, out: undefined, budgetMs: undefined, ignoreTables: undefined };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    const next = () => {
      const n = argv[++i];
      if (n === undefined) throw new Error(`${v} needs a value`);
      return n;
    };
    if (v === '--runs') a.runs = Number(next());
    else if (v === '--seed') a.seed = Number(next());
    else if (v === '--route') a.routes.push(next());
    else if (v === '--assert') a.mode = 'assert';
    else if (v === '--collect') a.mode = 'collect';
    else if (v === '--strict') a.strict = true;
    else if (v === '--idempotency') a.idempotency = true;
    else if (v === '--sweep') a.sweep = true;
    else if (v === '--base-url') a.baseUrl = next().replace(/\/$/, '');
    else if (v === '--admin-key') a.adminKey = next();
    else if (v === '--database-url') a.databaseUrl = next();
    else if (v === '--mailbox-url') a.mailboxUrl = next();
    else if (v === '--out') a.out = next();
    else if (v === '--budget-ms') a.budgetMs = Number(next());
    else if (v === '--ignore-tables') a.ignoreTables = next().split(',').filter(Boolean);
    else if (v === '--help' || v === '-h') {
      process.stdout.write(fs.readFileSync(__filename, 'utf8').match(/\/\*\*([\s\S]*?)\*\//)![1]!.replace(/^ \* ?/gm, '') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${v}`);
  }
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error('--runs must be a positive integer');
  return a;
}

interface Target {
  baseUrl: string;
  adminKey: string;
  pool: Queryable;
  sink?: { messages: { to: string; textBody: string }[] };
  mailbox?: () => Promise<{ to: string; textBody: string }[]>;
  stop(): Promise<void>;
}

async function target(a: Args): Promise<Target> {
  if (a.baseUrl) {
    if (!a.adminKey || !a.databaseUrl) throw new Error('--base-url needs --admin-key and --database-url');
    const pool = new pg.Pool({ connectionString: a.databaseUrl, max: 2 });
    const mailboxUrl = a.mailboxUrl;
    return {
      baseUrl: a.baseUrl, adminKey: a.adminKey, pool, stop: () => pool.end(),
      // a Postmark-compatible sink's GET /dev/mailbox ({ items: [{ to, textBody }] }), for a reset link token
      ...(mailboxUrl ? { mailbox: async () => ((await (await fetch(mailboxUrl)).json()) as { items: { to: string; textBody: string }[] }).items } : {}),
    };
  }
  // the compiled throwaway stack: dist/scripts/throwawayStack.js next to dist/test/fuzz/cli.js
  const modulePath = path.resolve(__dirname, '../../scripts/throwawayStack');
  const { startThrowawayStack } = require(modulePath) as { startThrowawayStack(o?: { env?: Record<string, string> }): Promise<Target> };
  process.stderr.write('starting a throwaway stack…\n');
  return startThrowawayStack({ env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_ACCOUNT: '1000000', RATE_LIMIT_ACCOUNT_CEILING: '1000000' } });
}

function summary(report: FuzzReport): string {
  const lines: string[] = [];
  const bySev = (s: Severity) => report.defects.filter((d) => d.severity === s);
  lines.push('', `${report.operations.length} operations, ${Object.values(report.stats).reduce((n, s) => n + s.runs, 0)} requests`);
  lines.push(`${bySev('must').length} defect(s) that must be fixed, ${bySev('should').length} that should`, '');
  for (const d of report.defects) lines.push(describeDefect(d), '');
  const notes = Object.entries(report.notes).sort((x, y) => y[1] - x[1]);
  if (notes.length > 0) {
    lines.push('notes:');
    for (const [n, c] of notes.slice(0, 60)) lines.push(`  ${c}× ${n}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const t = await target(a);
  try {
    const openapiRes = await fetch(`${t.baseUrl}/openapi.json`);
    if (!openapiRes.ok) throw new Error(`GET /openapi.json: ${openapiRes.status}`);
    const openapi = await openapiRes.json();
    const seed = a.seed ?? Date.now() % 2 ** 31;
    process.stderr.write(`seed ${seed}, ${a.runs} runs per route, mode ${a.mode}\n`);
    const report = await runFuzz({
      baseUrl: t.baseUrl, adminKey: t.adminKey, openapi, pool: t.pool, runs: a.runs, seed,
      ...(a.routes.length > 0 ? { only: a.routes } : {}),
      mode: a.mode,
      failOn: a.strict ? ['must', 'should'] : ['must'],
      idempotencyProbe: a.idempotency,
      sweep: a.sweep,
      ...(t.mailbox ? { mailbox: t.mailbox } : t.sink ? { mailbox: () => t.sink!.messages } : {}),
      ...(a.budgetMs ? { budgetMsPerOp: a.budgetMs } : {}),
      ...(a.ignoreTables ? { ignoreTables: a.ignoreTables } : {}),
      log: (l) => process.stderr.write(`${l}\n`),
    });
    process.stdout.write(`${summary(report)}\n`);
    if (a.out) {
      const json = JSON.stringify(report, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v), 2);
      fs.writeFileSync(a.out, json);
      process.stderr.write(`report written to ${a.out}\n`);
    }
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await t.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
