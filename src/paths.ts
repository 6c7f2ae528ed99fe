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
/** The admin console, built by `npm run build` (vite, from console/). */
export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'dist', 'console');
/** The OpenAPI document of the route table, written by `npm run build` (scripts/openapi-document.ts) for the linter and the client generator. */
export const OPENAPI_DOCUMENT_PATH = path.join(PROJECT_ROOT, 'dist', 'openapi.json');
