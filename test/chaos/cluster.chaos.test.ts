/**
 * The chaos suite (`npm run test:chaos`): the topology of `npm run cluster` (dev/cluster.ts) on
 * free ports with its own PostgreSQL, driven only through the HTTP contract, with faults injected
 * by real signals and real outages. Each scenario then checks I1–I6 (support/invariants.ts) from
 * the database, the workflow histories and the mail provider, and the summary reporter prints
 * them all with the timings measured.
 */
import { Chaos } from './support/harness';
import type { Ctx } from './support/scenario';
import { apiReplicas } from './scenarios/apiReplicas';
import { composeParity } from './scenarios/composeParity';
import { mailProvider } from './scenarios/mailProvider';
import { postgresOutage } from './scenarios/postgresOutage';
import { sigtermDrain } from './scenarios/sigtermDrain';
import { temporalRestart } from './scenarios/temporalRestart';
import { workerKills } from './scenarios/workerKills';
import { webhookDelivery } from './scenarios/webhookDelivery';

let chaos: Chaos | undefined;
const ctx: Ctx = {
  get chaos() {
    if (!chaos) throw new Error('the cluster did not start');
    return chaos;
  },
};

beforeAll(async () => {
  const startedAt = Date.now();
  chaos = await Chaos.start();
  chaos.summary.timing('cluster start (fresh data)', `${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    'PostgreSQL initdb, Temporal schema and server, migration, 2 workers and 2 APIs ready');
}, 240_000);

afterAll(async () => {
  await chaos?.stop();
}, 120_000);

composeParity(ctx);
apiReplicas(ctx);
mailProvider(ctx);
sigtermDrain(ctx);
workerKills(ctx);
temporalRestart(ctx);
postgresOutage(ctx);
webhookDelivery(ctx);
