import type pg from 'pg';

type Watched = 'reset' | 'change token' | 'api key' | 'session';

/**
 * Reads the state of every reset link, change token, API key and session of the scenario's
 * tenants every 200 ms while the scenario runs (through outages: a failed read is skipped), and
 * reports any that moved backwards: a link that left `pending` and changed again, an end time,
 * use or revocation that changed or vanished once set. The database at the end cannot show
 * that; these samples can.
 */
export class StateObserver {
  private readonly seen = new Map<string, string>();
  readonly violations: string[] = [];
  samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly db: pg.Pool, private readonly tenants: () => readonly string[]) {}

  start(): this {
    this.timer = setInterval(() => void this.sample(), 200);
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
    await this.sample();
  }

  private async sample(): Promise<void> {
    const tenants = this.tenants();
    if (this.busy || tenants.length === 0) return;
    this.busy = true;
    try {
      const { rows } = await this.db.query<{ kind: Watched; id: string; value: string }>(
        `SELECT 'reset' AS kind, id::text, state || '@' || coalesce(ended_at::text, '-') AS value FROM password_resets WHERE tenant_id = ANY($1)
         UNION ALL SELECT 'change token', id::text, coalesce(used_at::text, '-') FROM change_tokens WHERE tenant_id = ANY($1)
         UNION ALL SELECT 'api key', id::text, coalesce(revoked_at::text, '-') FROM api_keys WHERE tenant_id = ANY($1)
         UNION ALL SELECT 'session', id::text, coalesce(revoked_at::text, '-') FROM sessions WHERE tenant_id = ANY($1)`,
        [tenants],
      );
      this.samples++;
      for (const r of rows) {
        const key = `${r.kind} ${r.id}`;
        const before = this.seen.get(key);
        if (before !== undefined && before !== r.value && !movesForward(r.kind, before, r.value)) {
          this.violations.push(`${key}: ${before} → ${r.value}`);
        }
        this.seen.set(key, r.value);
      }
    } catch {
      // PostgreSQL is down (an outage scenario): nothing to read now
    } finally {
      this.busy = false;
    }
  }
}

/** pending → a final state, and unset → set: the only moves allowed. */
function movesForward(kind: Watched, before: string, after: string): boolean {
  if (kind === 'reset') return before.startsWith('pending@-') && !after.startsWith('pending@');
  return before === '-' && after !== '-';
}
