import { useCallback } from 'react';
import { api, ok } from '../api/client';
import type { User } from '../api/types';
import { PagedList, pageQuery } from '../components/PagedList';
import { CHANGE_REASONS, formatDateTime, providerName } from '../format';
import { languageName } from '../languages';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { PrivilegedToggle } from '../user/UserPrivileged';

const PAGE_SIZE = 20;

/** The tenant's users: search by email or name, page through, open one. */
export function UsersPage({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const q = useLocation().query.get('q') ?? '';
  const load = useCallback(
    (cursor: string | undefined) => ok(client.GET('/admin/tenants/{tenantId}/users', { params: { path: { tenantId }, query: pageQuery(PAGE_SIZE, q, cursor) } })),
    [client, tenantId, q],
  );
  return (
    <PagedList
      heading="Users"
      subtitle="Open a user to reset their password, see their sessions and their audit trail."
      search={{
        id: 'user-search', label: 'Search users', placeholder: 'Search by email or name', q,
        onSearch: (term) => navigate(`${api`/tenants/${tenantId}/users`}${term ? `?q=${encodeURIComponent(term)}` : ''}`),
      }}
      resetKey={tenantId}
      load={load}
      noun="users"
      columns={['Name', 'Email', 'Language', 'Password', 'Federated sign-in', 'Privileged']}
      itemKey={(u) => u.id}
      row={(u) => (
        <>
          <td><Link to={api`/tenants/${tenantId}/users/${u.id}`}>{u.displayName ?? u.email}</Link></td>
          <td>{u.email}</td>
          <td>{languageName(u.locale) ?? <span className="muted">tenant default</span>}</td>
          <td><PasswordSummary user={u} /></td>
          <td>{u.federatedIdentities.map((f) => providerName(f.provider)).join(', ') || <span className="muted">none</span>}</td>
          <td><PrivilegedToggle user={u} /></td>
        </>
      )}
    />
  );
}

export function PasswordSummary({ user }: { user: User }) {
  const p = user.passwordIdentity;
  if (!p) return <span className="muted">No password</span>;
  return (
    <span className="row">
      <span>Set {formatDateTime(p.setAt)}</span>
      {p.temporary ? <span className="badge warn">Temporary</span> : null}
      {p.changeRequired ? <span className="badge warn" title={CHANGE_REASONS[p.changeRequired]}>Change required</span> : null}
      {user.pendingPasswordReset ? <span className="badge">Reset link pending</span> : null}
    </span>
  );
}
