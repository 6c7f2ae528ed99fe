/**
 * Build-time OpenAPI document (npm run build): dist/openapi.json from the route
 * table, without starting a server. `npm test` lints it (redocly.yaml) and checks
 * that the generated client (clients/typescript) is up to date with it.
 *
 * A running API serves the same document at /openapi.json with its own PUBLIC_URL
 * as the server; this one's server is the variable {publicUrl} (src/api/openapi.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { routes } from '../src/api/app';
import { buildOpenApi } from '../src/api/openapi';
import { OPENAPI_DOCUMENT_PATH } from '../src/paths';

const out = process.argv[2] ? path.resolve(process.argv[2]) : OPENAPI_DOCUMENT_PATH;
const document = buildOpenApi(routes, { publicUrl: undefined });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(document, null, 2) + '\n');
