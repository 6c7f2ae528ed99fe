import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { User, UserList } from '../api/types';
import { PageHeading } from '../components/PageHeading';
import { SearchForm } from '../components/SearchForm';
import { LoadError, useLoad } from '../components/useLoad';
import { CHANGE_REASONS, formatDateTime, providerName } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { Pager } from './TenantsPage';

const PAGE_SIZE = 20;

/** The tenant's users: search by email or name, page through, open one. */
export function UsersPage({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => setCursors([]), [q, tenantId]);
  const list = useLoad(
    () => client.get<UserList>(`${api`/admin/tenants/${tenantId}/users`}?limit=${PAGE_SIZE}${q ? `&q=${encodeURIComponent(q)}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    [client, tenantId, q, cursor],
  );
  const search = (term: string) => navigate(`${api`/tenants/${tenantId}/users`}${term ? `?q=${encodeURIComponent(term)}` : ''}`);
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Users</PageHeading>
          <p className="subtitle">Open a user to reset their password, see their sessions and their audit trail.</p>
        </div>
      </div>
      <SearchForm id="user-search" label="Search users" placeholder="Search by email or name" initial={q} onSearch={search} />
      <div className="card" aria-busy={list.loading}>
        {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
        {list.data && list.data.items.length === 0 ? <p>No users{q ? ` match “${q}”` : ' yet'}.</p> : null}
        {list.data && list.data.items.length > 0 ? (
          <table className="data">
            <caption className="visually-hidden">Users{q ? ` matching “${q}”` : ''}</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Password</th><th scope="col">Federated sign-in</th></tr>
            </thead>
            <tbody>
              {list.data.items.map((u) => (
                <tr key={u.id}>
                  <td><Link to={api`/tenants/${tenantId}/users/${u.id}`}>{u.displayName ?? u.email}</Link></td>
                  <td>{u.email}</td>
                  <td><PasswordSummary user={u} /></td>
                  <td>{u.federatedIdentities.map((f) => providerName(f.provider)).join(', ') || <span className="muted">none</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <Pager hasPrevious={cursors.length > 0} next={list.data?.nextCursor ?? null} onPrevious={() => setCursors((c) => c.slice(0, -1))} onNext={(n) => setCursors((c) => [...c, n])} />
      </div>
    </>
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
