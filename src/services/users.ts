import { randomUUID } from 'node:crypto';
import type { Actor } from '../contract/vocabulary';
import { inTransaction } from '../db/pool';
import { userActions, type UserActions } from '../domain/userActions';
import type { PolicyFailure } from '../contract/vocabulary';
import type { Page } from '../store/paging';
import type { Tenant } from '../store/tenants';
import { insertAuditEvent } from '../store/audit';
import { getPasswordSubject, getUserRecord, insertUser, listUserRecords, updateUserFields, type PasswordSubject, type UserFieldsPatch, type UserKey, type UserRecord } from '../store/users';
import type { ServiceDeps } from './deps';
import { notFound, refused, type NotFound, type Refused } from './failures';
import { newPasswordFailure } from './newPasswordPolicy';

/** The user resource of api.md: what is stored, and what the Actions menu may offer. */
export type User = UserRecord & { actions: UserActions };

function withActions(r: UserRecord): User {
  return { ...r, actions: userActions(r.passwordIdentity !== null, Boolean(r.passwordIdentity?.lockedAt)) };
}

/** The user must exist in this tenant and have a password: otherwise nothing is started and nothing is audited. */
export async function passwordUser(
  deps: Pick<ServiceDeps, 'pool'>,
  tenantId: string,
  userId: string,
): Promise<{ ok: true; user: PasswordSubject } | NotFound | Refused<'no_password_identity'>> {
  const user = await getPasswordSubject(deps.pool, tenantId, userId);
  if (!user) return notFound('The user');
  if (!user.passwordHash) return refused('no_password_identity');
  return { ok: true, user };
}

/** Any user of the tenant (sessions can be listed and revoked for federated users too). */
export async function existingUser(deps: Pick<ServiceDeps, 'pool'>, tenantId: string, userId: string): Promise<{ ok: true; user: PasswordSubject } | NotFound> {
  const user = await getPasswordSubject(deps.pool, tenantId, userId);
  return user ? { ok: true, user } : notFound('The user');
}

export interface NewUserRequest {
  email: string;
  displayName?: string | null | undefined;
  password?: string | undefined;
  privileged?: boolean | undefined;
  locale?: string | null | undefined;
  federatedIdentities: { provider: string; subject: string }[];
}

/**
 * A new user: its first password is checked against the policy and hashed here,
 * then the user, its password history and its federated identities are written
 * in one transaction (a conflict leaves nothing behind). A new user has no link
 * or change token to invalidate, so no workflow is needed for this one write.
 */
export async function createUser(
  deps: Pick<ServiceDeps, 'pool' | 'hasher' | 'clock' | 'breachCheck'>,
  tenant: Tenant,
  body: NewUserRequest,
): Promise<{ ok: true; user: User } | PolicyFailure | Refused<'email_taken' | 'identity_taken'>> {
  const displayName = body.displayName ?? null;
  let passwordHash: string | null = null;
  if (body.password !== undefined) {
    const policy = await newPasswordFailure(deps, body.password, tenant, { email: body.email, displayName });
    if (policy) return policy;
    passwordHash = await deps.hasher.hash(body.password);
  }
  const id = randomUUID();
  const now = deps.clock();
  const conflict = await inTransaction(deps.pool, async (c) => {
    const r = await insertUser(c, {
      id, tenantId: tenant.id, email: body.email, displayName, passwordHash, privileged: body.privileged, locale: body.locale,
      federatedIdentities: body.federatedIdentities, now,
    });
    // thrown inside the transaction, so nothing of the user remains
    if (r !== 'ok') throw new UserConflict(r);
  }).catch((err: unknown) => {
    if (err instanceof UserConflict) return err.code;
    throw err;
  });
  if (conflict) return refused(conflict);
  const user = await getUserRecord(deps.pool, tenant.id, id, now);
  return { ok: true, user: withActions(user!) };
}

class UserConflict extends Error {
  constructor(readonly code: 'email_taken' | 'identity_taken') {
    super(code);
  }
}

export async function getUser(deps: Pick<ServiceDeps, 'pool' | 'clock'>, tenantId: string, userId: string): Promise<{ ok: true; user: User } | NotFound> {
  const record = await getUserRecord(deps.pool, tenantId, userId, deps.clock());
  return record ? { ok: true, user: withActions(record) } : notFound('The user');
}

/** Email or display name contains `search`; oldest first. */
export async function listUsers(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  q: { tenantId: string; search?: string | undefined; limit: number; after?: UserKey | undefined },
): Promise<Page<User, UserKey>> {
  const page = await listUserRecords(deps.pool, q, deps.clock());
  return { items: page.items.map(withActions), next: page.next };
}

/**
 * Change a user's display name, `privileged` flag or language. Audited `user.updated`
 * with the fields before and after, in the same transaction; a patch that changes
 * nothing writes nothing. Only the platform key may make a privileged user unprivileged
 * (`mayLowerPrivilege`): a tenant key, the helpdesk's credential, could otherwise take a
 * user out of the tenant's second-admin approval and reset them alone (docs/approvals.md).
 */
export async function updateUser(
  deps: Pick<ServiceDeps, 'pool' | 'clock'>,
  p: { tenantId: string; userId: string; patch: UserFieldsPatch; actor: Actor; mayLowerPrivilege?: boolean },
): Promise<{ ok: true; user: User } | NotFound | Refused<'forbidden'>> {
  if (p.patch.privileged === false && !p.mayLowerPrivilege) {
    const current = await getPasswordSubject(deps.pool, p.tenantId, p.userId);
    if (current?.privileged) return refused('forbidden');
  }
  const found = await inTransaction(deps.pool, async (c) => {
    const changed = await updateUserFields(c, p);
    if (!changed) return false;
    if (JSON.stringify(changed.before) !== JSON.stringify(changed.after)) {
      await insertAuditEvent(c, {
        idempotencyKey: `api:${randomUUID()}`, tenantId: p.tenantId, userId: p.userId, action: 'user.updated', actor: p.actor,
        data: { before: changed.before, after: changed.after }, occurredAt: deps.clock(),
      });
    }
    return true;
  });
  return found ? getUser(deps, p.tenantId, p.userId) : notFound('The user');
}
