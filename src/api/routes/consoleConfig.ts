import { publicRoute, type RouteDef } from '../route';
import { consoleConfigResponse } from '../schemas';

/** What the console needs to know about this deployment and cannot ask the admin API: where the Temporal Web UI is. */
export const consoleConfigRoutes: RouteDef[] = [
  publicRoute(
    {
      method: 'get', path: '/console/config.json', operationId: 'getConsoleConfig', tag: 'Console',
      summary: "The console's settings: the Temporal Web UI base URL and namespace, for links to workflows",
      responses: { 200: { description: 'Console settings', schema: consoleConfigResponse } },
    },
    async ({ deps }) => ({ status: 200, body: { temporalUiUrl: deps.temporalUiUrl, namespace: deps.temporal.options.namespace } }),
  ),
];
