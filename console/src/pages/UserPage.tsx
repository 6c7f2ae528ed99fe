import { api, ok } from '../api/client';
import { PageHeading } from '../components/PageHeading';
import { Tabs, tabPanelProps } from '../components/Tabs';
import { LoadError, useLoad } from '../components/useLoad';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { AuditTab } from '../user/AuditTab';
import { SessionsTab } from '../user/SessionsTab';
import { UserActions } from '../user/UserActions';
import { UserOverview } from '../user/UserOverview';

type Tab = 'overview' | 'sessions' | 'audit';
const TABS: { id: Tab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'audit', label: 'Audit' },
];

/** The user detail page: who they are, the Actions menu, and tabs for sessions and audit. */
export function UserPage({ tenantId, userId, tab }: { tenantId: string; userId: string; tab: Tab }) {
  const { client } = useSession();
  const user = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}/users/{userId}', { params: { path: { tenantId, userId } } })), [client, tenantId, userId]);
  const tenant = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}', { params: { path: { tenantId } } })), [client, tenantId]);
  const base = api`/tenants/${tenantId}/users/${userId}`;
  const u = user.data;

  return (
    <>
      <p><Link to={api`/tenants/${tenantId}/users`}>← All users</Link></p>
      {user.error ? <LoadError error={user.error} retry={user.reload} /> : null}
      {tenant.error ? <LoadError error={tenant.error} retry={tenant.reload} /> : null}
      {u ? (
        <>
          <div className="page-head">
            <div>
              <PageHeading>{u.displayName ?? u.email}</PageHeading>
              <p className="subtitle">{u.email}</p>
            </div>
            {tenant.data ? <UserActions user={u} tenant={tenant.data} onChanged={user.reload} /> : null}
          </div>
          <Tabs label="User details" tabs={TABS} selected={tab} onSelect={(t) => navigate(t === 'overview' ? base : `${base}/${t}`, { replace: true })} />
          <section {...tabPanelProps(tab)} className="card">
            {tab === 'overview' ? <UserOverview user={u} onChanged={user.reload} /> : null}
            {tab === 'sessions' ? <SessionsTab user={u} /> : null}
            {tab === 'audit' ? <AuditTab user={u} /> : null}
          </section>
        </>
      ) : null}
      {user.loading && !u ? <p aria-live="polite">Loading…</p> : null}
    </>
  );
}
