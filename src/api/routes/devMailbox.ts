import { readDevMailbox } from '../../services/devMailbox';
import { isLocalRequest } from '../auth';
import { problems, unwrap } from '../problems';
import { publicRoute, type RouteDef } from '../route';
import { devMailboxQuery, devMailboxResponse } from '../schemas';

/** Development only: the emails the local mail sink received, as api.md names them. */
export const devMailboxRoutes: RouteDef[] = [
  publicRoute(
    {
      method: 'get', path: '/dev/mailbox', operationId: 'listDevMailbox', tag: 'Operations',
      summary: 'Development only: every email the local mail sink received, newest first (404 unless the sink is the mail transport and the request comes from this machine, to a loopback Host)',
      query: devMailboxQuery,
      responses: { 200: { description: 'The mailbox', schema: devMailboxResponse } },
      problems: [404, 503],
    },
    async ({ deps, req, query }) => {
      // every tenant's reset links are in there: only for someone at this machine's keyboard
      if (!isLocalRequest(req)) throw problems.notFound('A development mailbox');
      const { items } = unwrap(await readDevMailbox(deps, { to: query.to }));
      return { status: 200, body: { items } };
    },
  ),
];
