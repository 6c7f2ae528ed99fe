import type { ServiceDeps } from './deps';

/** Whether the API can do its work: PostgreSQL and Temporal each answer within `timeoutMs`. */
export interface Readiness {
  ready: boolean;
  postgres: 'up' | 'down';
  temporal: 'up' | 'down';
}

async function within(ms: number, probe: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), ms)));
  try {
    return await Promise.race([probe().then(() => 'up' as const, () => 'down' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(deps: Pick<ServiceDeps, 'pool' | 'temporal'>, timeoutMs = 2_000): Promise<Readiness> {
  const [postgres, temporal] = await Promise.all([
    within(timeoutMs, () => deps.pool.query('SELECT 1')),
    within(timeoutMs, () =>
      deps.temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
        deps.temporal.workflowService.describeNamespace({ namespace: deps.temporal.options.namespace }),
      ),
    ),
  ]);
  return { ready: postgres === 'up' && temporal === 'up', postgres, temporal };
}
