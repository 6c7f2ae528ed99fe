import type { ReactNode } from 'react';
import { ok } from '../api/client';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { ToastList } from './Toasts';
import { useLoad } from './useLoad';

/** The frame of every signed-in page: who is signed in, the tenant, its pages, sign out, and the outcome messages. */
export function Shell({ tenantId, children }: { tenantId: string | undefined; children: ReactNode }) {
  const { info, client, signOut } = useSession();
  const { path } = useLocation();
  const tenant = useLoad(() => (tenantId ? ok(client.GET('/admin/tenants/{tenantId}', { params: { path: { tenantId } } })) : Promise.resolve(undefined)), [client, tenantId]);
  const base = tenantId ? `/tenants/${encodeURIComponent(tenantId)}` : undefined;
  const current = (to: string) => (path === to || path.startsWith(`${to}/`) ? 'page' : undefined);
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">
          resetflow <small>console</small>
        </span>
        {base ? (
          <>
            <span aria-label="Tenant" className="badge">{tenant.data?.name ?? tenantId}</span>
            <nav aria-label="Tenant">
              <Link to={`${base}/users`} aria-current={current(`${base}/users`)}>Users</Link>
              <Link to={`${base}/resets`} aria-current={current(`${base}/resets`)}>Resets</Link>
              <Link to={`${base}/audit`} aria-current={current(`${base}/audit`)}>Audit</Link>
              <Link to={`${base}/import`} aria-current={current(`${base}/import`)}>Import</Link>
              <Link to={`${base}/settings`} aria-current={current(`${base}/settings`)}>Settings</Link>
              <Link to={`${base}/branding`} aria-current={current(`${base}/branding`)}>Branding and emails</Link>
              <Link to={`${base}/approvals`} aria-current={current(`${base}/approvals`)}>Approvals</Link>
              <Link to={`${base}/webhooks`} aria-current={current(`${base}/webhooks`)}>Webhooks</Link>
            </nav>
          </>
        ) : null}
        {info?.scope === 'platform' ? (
          <nav aria-label="Platform">
            <Link to="/tenants" aria-current={path === '/tenants' ? 'page' : undefined}>{base ? 'Switch tenant' : 'Tenants'}</Link>
          </nav>
        ) : null}
        <span className="spacer" />
        <span className="who">
          {info?.scope === 'platform' ? 'Platform admin key' : `Tenant key “${info?.name ?? info?.id}”`}
        </span>
        <button type="button" className="small" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main">
        <ToastList />
        {children}
      </main>
    </>
  );
}
