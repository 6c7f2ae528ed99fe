import { MIGRATIONS_DIR } from '../paths';

/**
 * Apply pending migrations (node-pg-migrate, SQL files in /migrations). Safe to
 * call from several processes at once: node-pg-migrate holds an advisory lock.
 */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => undefined): Promise<void> {
  // node-pg-migrate is an ES module; load it only where migrations run.
  const { runner } = await import('node-pg-migrate');
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
}
