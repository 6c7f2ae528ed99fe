import { MAX_IMPORT_BYTES } from '../../domain/userImportLine';
import { cancelUserImport, passwordHashCounts, startUserImport, userImportStatus, type UserImportView } from '../../services/userImports';
import type { HttpDeps } from '../deps';
import { Problem, unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { passwordHashesResponse, tenantParams, userImportLineDoc, userImportParams, userImportResponse, userImportStartedResponse } from '../schemas';
import { workflowUiUrl } from '../temporalUi';

const NDJSON = 'application/x-ndjson';
const tooLarge = () => new Problem(413, 'invalid_request', 'Request body too large', 'A user import file is at most 100 MiB.');

function importBody(deps: HttpDeps, v: UserImportView) {
  return { ...v, temporalUiUrl: workflowUiUrl(deps, v.workflowId) };
}

export const userImportRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/user-imports', operationId: 'startUserImport', tag: 'User import',
      summary: 'Import users with their existing password hashes: NDJSON, one user a line, up to 100 MiB, streamed into PostgreSQL and imported by a workflow',
      params: tenantParams,
      rawBody: { contentType: NDJSON, schema: userImportLineDoc },
      responses: { 202: { description: 'Staged; the import runs', schema: userImportStartedResponse } },
      problems: [415, 503],
    },
    async ({ deps, req, tenant, admin }) => {
      if (!req.is(NDJSON)) {
        throw new Problem(415, 'unsupported_media_type', 'Unsupported media type', `Send the file as ${NDJSON}: one JSON object a line.`);
      }
      if (Number(req.get('content-length') ?? 0) > MAX_IMPORT_BYTES) throw tooLarge();
      const started = await startUserImport(deps, { tenantId: tenant.id, actor: admin.actor, body: req });
      if (!started.ok) throw tooLarge();
      return { status: 202, body: { importId: started.importId, workflowId: started.workflowId } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/user-imports/{importId}', operationId: 'getUserImport', tag: 'User import',
      summary: 'An import’s progress and its first 1,000 bad lines',
      params: userImportParams,
      responses: { 200: { description: 'The import', schema: userImportResponse } },
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: importBody(deps, unwrap(await userImportStatus(deps, tenant.id, params.importId)).view) }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/user-imports/{importId}', operationId: 'cancelUserImport', tag: 'User import',
      summary: 'Cancel the rest of an import (users already created stay)',
      params: userImportParams,
      responses: { 200: { description: 'Stopped; the final counts', schema: userImportResponse } },
      problems: [503],
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: importBody(deps, unwrap(await cancelUserImport(deps, tenant.id, params.importId)).view) }),
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/password-hashes', operationId: 'countPasswordHashes', tag: 'User import',
      summary: 'How many users still hold each kind of imported password hash (replaced by argon2id at their first sign-in)',
      params: tenantParams,
      responses: { 200: { description: 'Counts by kind', schema: passwordHashesResponse } },
    },
    async ({ deps, tenant }) => {
      const { items, argon2idUsers } = await passwordHashCounts(deps, tenant.id);
      return { status: 200, body: { items, argon2idUsers } };
    },
  ),
];
