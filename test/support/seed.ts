import type { Pool } from '../../src/db/pool';
import { PasswordHasher } from '../../src/security/passwordHashing';

let sharedHash: Promise<string> | undefined;
/** The password every seeded user has (one argon2 hash, computed once). */
export const SEEDED_PASSWORD = 'seeded-walrus-lagoon-41';

/**
 * Many users in one statement, straight into the database: the rotation and bulk
 * paths read users, they never hash, so the seed need not go through the API.
 */
export async function seedUsers(
  pool: Pool,
  tenantId: string,
  n: number,
  o: { passwordAgeDays?: number; changeRequired?: string | null; federated?: boolean; prefix?: string } = {},
): Promise<string[]> {
  sharedHash ??= new PasswordHasher().hash(SEEDED_PASSWORD);
  const hash = o.federated ? null : await sharedHash;
  const res = await pool.query(
    `INSERT INTO users (id, tenant_id, email, display_name, password_hash, password_set_at, change_required, created_at)
     SELECT gen_random_uuid(), $1, $2 || '-' || i || '@example.com', NULL, $3::text,
            CASE WHEN $3::text IS NULL THEN NULL ELSE now() - make_interval(days => $4) END, $5, now() - interval '1 second'
       FROM generate_series(1, $6) AS i
     RETURNING id`,
    [tenantId, o.prefix ?? `seed-${Math.random().toString(36).slice(2, 8)}`, hash, o.passwordAgeDays ?? 0, o.changeRequired ?? null, n],
  );
  return res.rows.map((r) => r.id as string);
}
