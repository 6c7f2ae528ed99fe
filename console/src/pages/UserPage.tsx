import { useEffect, useRef } from 'react';
import { api, ok } from '../api/client';
import type { User } from '../api/types';
import { PageHeading } from '../components/PageHeading';
import { Tabs, tabPanelProps } from '../components/Tabs';
import { LoadError, useLoad } from '../components/useLoad';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { AuditTab } from '../user/AuditTab';
import { SessionsTab } from '../user/SessionsTab';
import { UserActions } from '../user/UserActions';
import { UserOverview } from '../user/UserOverview';
import { APPROVAL_ACTIONS, actorName } from '../approvals/words';
import { fromNow } from '../format';

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
  // resets held for a second admin: shown in place of the actions they hold
  const held = useLoad(
    () => ok(client.GET('/admin/tenants/{tenantId}/approvals', { params: { path: { tenantId }, query: { userId, state: 'pending' } } })),
    [client, tenantId, userId, user.data],
  );
  const pending = held.data?.items ?? [];
  const base = api`/tenants/${tenantId}/users/${userId}`;
  const u = user.data;
  useDeliveryUpdates(u, user.reload);

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
            {tenant.data ? <UserActions user={u} tenant={tenant.data} pending={pending} onChanged={user.reload} /> : null}
          </div>
          {pending.map((a) => (
            <div key={a.approvalId} className="notice warn" role="status">
              <p>
                <strong>Waiting for a second admin:</strong> {APPROVAL_ACTIONS[a.action]}, asked by {actorName(a.requestedBy)} {fromNow(a.requestedAt)}. Nothing is
                applied until another admin approves it; it expires {fromNow(a.expiresAt)}. <Link to={api`/tenants/${tenantId}/approvals`}>Open Approvals</Link>
              </p>
            </div>
          ))}
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

/**
 * While the pending link's email has not been reported on (pending or sent), read the
 * user again every 2 seconds for a minute: the mail provider's webhook says "delivered"
 * or "bounced" in seconds, and the page should say so without a reload.
 */
function useDeliveryUpdates(u: User | undefined, reload: () => Promise<void>) {
  const polls = useRef(0);
  const waiting = u?.pendingPasswordReset ? ['pending', 'sent'].includes(u.pendingPasswordReset.delivery.state) : false;
  useEffect(() => {
    if (!waiting) {
      polls.current = 0;
      return;
    }
    if (polls.current >= 30) return;
    const timer = setTimeout(() => {
      polls.current++;
      void reload();
    }, 2000);
    return () => clearTimeout(timer);
  }, [u, waiting, reload]);
}
