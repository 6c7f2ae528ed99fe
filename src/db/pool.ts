import pg from 'pg';

// timestamptz → Date (the default), bigint (count(*)) → number: counts here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'>;

export interface PoolOptions {
  /** shown in pg_stat_activity (`resetflow-api`, `resetflow-worker`) */
  applicationName?: string;
  /**
   * How long one statement may take before the client gives up on it. The API keeps it
   * short, so a database that hangs is a fast 503; the worker's bulk batches need longer.
   */
  queryTimeoutMs?: number;
}

/**
 * A pool that fails fast when PostgreSQL is unreachable: a connection attempt gives up
 * after 3 s and a statement after `queryTimeoutMs` (and the server cancels it too).
 */
export function createPool(databaseUrl: string, max: number, o: PoolOptions = {}): pg.Pool {
  const queryTimeoutMs = o.queryTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    application_name: o.applicationName ?? 'resetflow',
    connectionTimeoutMillis: 3_000,
    query_timeout: queryTimeoutMs,
    statement_timeout: queryTimeoutMs,
    // a transaction left open by a crashed process releases its locks
    idle_in_transaction_session_timeout: 60_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Run `fn` in a transaction; rolled back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
