import fs from 'node:fs';
import path from 'node:path';

/** The project root (the folder with package.json), whether running from src/ under ts-jest or from dist/. */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`resetflow: project root not found above ${start}`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');
/** Built by `npm run build` (scripts/bundle-workflows.ts); the worker falls back to bundling at start. */
export const WORKFLOW_BUNDLE_PATH = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');
/** The same workflows with the OpenTelemetry workflow interceptors, for a worker that traces (src/temporal/tracing.ts). */
export const TRACED_WORKFLOW_BUNDLE_PATH = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle-traced.js');
/**
 * How every launcher runs a worker process: `node --max-old-space-size=256 dist/worker.js`
 * (docker-compose.yml and package.json's `worker` script say the same; a test holds them to it).
 * V8 otherwise lets each heap of the worker (its main thread's and the workflow thread's) grow
 * towards a limit sized from the machine's memory before it collects: with 10,000 reset links
 * pending the worker stayed at 569 MiB, and at 446 MiB with this limit (docs/performance.md).
 * The live set is far below it: the sticky cache holds at most WORKER_MAX_CACHED_WORKFLOWS (250)
 * workflows of about 0.45 MiB each. Raise both together.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=256'];
export const WORKER_SCRIPT = path.join(PROJECT_ROOT, 'dist', 'worker.js');
export const WORKER_ARGS: readonly string[] = [...WORKER_NODE_FLAGS, WORKER_SCRIPT];
/** The admin console, built by `npm run build` (vite, from console/). */
export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'dist', 'console');
/** The OpenAPI document of the route table, written by `npm run build` (scripts/openapi-document.ts) for the linter and the client generator. */
export const OPENAPI_DOCUMENT_PATH = path.join(PROJECT_ROOT, 'dist', 'openapi.json');
