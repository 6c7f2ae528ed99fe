import { z } from 'zod';
import { buildOpenApi } from '../openapi';
import { publicRoute, type RouteDef } from '../route';

/**
 * `GET /openapi.json`: the document of every route in the table, itself included,
 * naming this deployment's PUBLIC_URL as its server. `all` is read at the first
 * request (the table is complete by then); the document is built once per base URL.
 */
export function openApiDocumentRoutes(all: () => RouteDef[]): RouteDef[] {
  const documents = new Map<string, object>();
  return [
    publicRoute(
      {
        method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'Operations',
        summary: 'This OpenAPI 3.1 document, generated from the route table the server mounts',
        responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
      },
      async ({ deps }) => {
        let document = documents.get(deps.publicUrl);
        if (!document) documents.set(deps.publicUrl, (document = buildOpenApi(all(), { publicUrl: deps.publicUrl })));
        return { status: 200, body: document, headers: { 'Cache-Control': 'no-cache' } };
      },
    ),
  ];
}
