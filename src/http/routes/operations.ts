import { readDevMailbox } from '../../services/devMailbox';
import { unwrap } from '../problems';
import { publicRoute, type RouteDef } from '../route';
import { devMailboxQuery, devMailboxResponse, healthResponse } from '../schemas';

/** What operators and developers call: liveness, and the development mailbox. */
export const operationsRoutes: RouteDef[] = [
  publicRoute(
    {
      method: 'get', path: '/healthz', operationId: 'getHealth', tag: 'Operations',
      summary: 'Liveness: the API process is up (it checks no dependency; see /readyz)',
      responses: { 200: { description: 'The process is up', schema: healthResponse } },
    },
    async () => ({ status: 200, body: { status: 'ok' } }),
  ),
  publicRoute(
    {
      method: 'get', path: '/dev/mailbox', operationId: 'listDevMailbox', tag: 'Operations',
      summary: 'Development only: every email the local mail sink received, newest first (404 unless the sink is the mail transport)',
      query: devMailboxQuery,
      responses: { 200: { description: 'The mailbox', schema: devMailboxResponse } },
      problems: [404, 503],
    },
    async ({ deps, query }) => {
      const { items } = unwrap(await readDevMailbox(deps, { to: query.to }));
      return { status: 200, body: { items } };
    },
  ),
];
