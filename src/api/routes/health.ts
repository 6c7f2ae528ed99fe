import { z } from 'zod';
import { checkReadiness } from '../../services/health';
import { problems } from '../problems';
import { publicRoute, type RouteDef } from '../route';
import { healthResponse } from '../schemas';

const readyResponse = z.object({ status: z.literal('ready'), postgres: z.literal('up'), temporal: z.literal('up') });

/** For load balancers and orchestrators: is the process up, and can it do its work. */
export const healthRoutes: RouteDef[] = [
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
      method: 'get', path: '/readyz', operationId: 'getReadiness', tag: 'Operations',
      summary: 'Ready: PostgreSQL and Temporal answer (503 naming what does not)',
      responses: { 200: { description: 'Both dependencies answer', schema: readyResponse } },
      problems: [503],
    },
    async ({ deps }) => {
      const r = await checkReadiness(deps);
      if (!r.ready) {
        const down = [r.postgres === 'down' ? 'PostgreSQL' : undefined, r.temporal === 'down' ? 'Temporal' : undefined].filter(Boolean);
        throw problems.unavailable(`Not ready: ${down.join(' and ')} ${down.length > 1 ? 'do' : 'does'} not answer.`);
      }
      return { status: 200, body: { status: 'ready', postgres: 'up', temporal: 'up' } };
    },
  ),
];
