import { randomBytes } from 'node:crypto';
import type { Pool } from '../src/db/pool';
import { DEFAULT_TENANT_SETTINGS, type TenantSettings } from '../src/domain/tenantSettings';
import type { PostmarkSink } from '../dev/postmarkSink';
import { PasswordHasher } from '../src/security/passwordHashing';
import { insertTenant } from '../src/store/tenants';
import type { HttpClient } from './httpClient';
import { OutOfFixtures } from './load';

/** Every seeded user's password: one argon2id hash (the project's parameters) shared by all of them. */
export const INITIAL_PASSWORD = 'glacier-ticket-marble-74';

export interface BenchUser {
  id: string;
  email: string;
}

/**
 * A password nobody used before, that passes the default policy (16 random
 * base64url characters are far above zxcvbn's 10^8 guesses) and contains no
 * personal word of the bench's users and tenants (no separators in their names).
 */
export function freshPassword(): string {
  return `Qz${randomBytes(12).toString('base64url')}`;
}

/** Users handed out once each: a request that changes a password gets a user with no history but the initial password. */
export class UserQueue {
  private next = 0;
  constructor(readonly users: BenchUser[]) {}

  take(): BenchUser {
    const u = this.users[this.next++];
    if (!u) throw new OutOfFixtures('no fresh users left');
    return u;
  }

  get left(): number {
    return this.users.length - this.next;
  }
}

/**
 * Tenants and users written straight to PostgreSQL with the project's own store
 * functions and schema: seeding thousands of users costs one argon2 hash, not
 * thousands, so the machine's argon2 time goes to what is measured.
 */
export class Fixtures {
  private initialHash: Promise<string> | undefined;

  constructor(private readonly pool: Pool) {}

  /** A tenant with the default settings (history of 5, common-password and personal-info checks on). */
  async tenant(settings: TenantSettings = DEFAULT_TENANT_SETTINGS): Promise<string> {
    // no separator in the id or the name: no "personal word" a random password could contain by chance
    const id = `p${randomBytes(6).toString('hex')}`;
    const tenant = await insertTenant(this.pool, { id, name: 'Benchmarkco', settings });
    if (!tenant) throw new Error(`tenant ${id} exists`);
    return id;
  }

  /** `n` users with a password identity whose only history is INITIAL_PASSWORD. */
  async users(tenantId: string, n: number): Promise<BenchUser[]> {
    this.initialHash ??= new PasswordHasher().hash(INITIAL_PASSWORD);
    const hash = await this.initialHash;
    const batch = randomBytes(4).toString('hex');
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; email: string }>(
        `INSERT INTO users (id, tenant_id, email, display_name, password_hash, password_set_at, created_at)
         SELECT gen_random_uuid(), $1, 'user' || g || 'x' || $2 || '@bench.example', NULL, $3, now(), now()
         FROM generate_series(1, $4::int) AS g
         RETURNING id, email`,
        [tenantId, batch, hash, n],
      );
      await client.query(
        `INSERT INTO password_history (user_id, password_hash, set_at)
         SELECT id, password_hash, password_set_at FROM users WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      await client.query('COMMIT');
      return rows;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Reads reset links out of the sink as they arrive, by recipient. */
export class ResetLinks {
  private seen = 0;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly sink: PostmarkSink) {}

  private scan(): void {
    const messages = this.sink.messages;
    for (; this.seen < messages.length; this.seen++) {
      const m = messages[this.seen]!;
      if (m.tag !== 'password-reset') continue;
      const token = m.textBody.match(/reset-password\?token=([\w-]+)/)?.[1];
      if (token) this.tokens.set(m.to.toLowerCase(), token);
    }
  }

  /** Resolves with the newest reset token sent to each of `emails`, in order. */
  async await(emails: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.scan();
      const missing = emails.filter((e) => !this.tokens.has(e.toLowerCase()));
      if (missing.length === 0) return emails.map((e) => this.tokens.get(e.toLowerCase())!);
      if (Date.now() > deadline) throw new Error(`${missing.length} reset emails did not arrive within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Issue one reset link per user through the API (path 1), `concurrency` at once, and collect their tokens from the sink. */
export async function issueResetLinks(http: HttpClient, links: ResetLinks, tenantId: string, users: BenchUser[], concurrency: number): Promise<string[]> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let u = users[next++]; u; u = users[next++]) {
        await http.request('POST', `/admin/tenants/${tenantId}/users/${u.id}/password-reset-email`, { body: {}, expect: 202 });
      }
    }),
  );
  return links.await(users.map((u) => u.email), 120_000);
}
