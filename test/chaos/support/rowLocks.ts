import pg from 'pg';

export interface LockWaiter {
  pid: number;
  clientPort: number;
  applicationName: string;
  /** the waiting statement began inside an open transaction */
  inTransaction: boolean;
  query: string;
}

/**
 * A row lock held from outside the service (`SELECT … FOR UPDATE` in a transaction of the suite's
 * own), so a worker's transaction that needs the row waits there: the worker is stopped at that
 * step, visibly (pg_stat_activity), with no hook in its code.
 */
export class RowLock {
  private constructor(private readonly client: pg.Client, readonly backendPid: number, readonly what: string) {}

  static async hold(adminUrl: string, table: 'users' | 'password_resets', id: string): Promise<RowLock> {
    const client = new pg.Client({ connectionString: adminUrl, application_name: 'chaos-suite-lock' });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    const { rowCount } = await client.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    if (rowCount !== 1) {
      await client.end();
      throw new Error(`no ${table} row ${id} to lock`);
    }
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return new RowLock(client, rows[0]!.pid, `${table} ${id}`);
  }

  /** Resolves with the backend that waits for this lock, once one does. */
  async waiter(adminUrl: string, timeoutMs = 30_000): Promise<LockWaiter> {
    const probe = new pg.Client({ connectionString: adminUrl, application_name: 'chaos-suite-probe' });
    await probe.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await probe.query<{ pid: number; client_port: number; application_name: string; in_tx: boolean; query: string }>(
          `SELECT pid, client_port, application_name, xact_start < query_start AS in_tx, query
             FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)) ORDER BY backend_start LIMIT 1`,
          [this.backendPid],
        );
        const r = rows[0];
        if (r) return { pid: r.pid, clientPort: r.client_port, applicationName: r.application_name, inTransaction: r.in_tx, query: r.query };
        if (Date.now() > deadline) throw new Error(`nothing waited for the lock on ${this.what} within ${timeoutMs / 1000} s`);
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      await probe.end();
    }
  }

  async release(): Promise<void> {
    await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
