import { useEffect } from 'react';
import { Shell } from './components/Shell';
import { ToastProvider } from './components/Toasts';
import { homeOf } from './home';
import { SignInPage } from './pages/SignInPage';
import { AuditPage } from './pages/AuditPage';
import { BrandingPage } from './pages/BrandingPage';
import { ImportPage } from './pages/ImportPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ResetsPage } from './pages/ResetsPage';
import { SettingsPage } from './pages/SettingsPage';
import { TenantsPage } from './pages/TenantsPage';
import { UserPage } from './pages/UserPage';
import { UsersPage } from './pages/UsersPage';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { WebhookEndpointPage } from './pages/WebhookEndpointPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { match, navigate, useLocation } from './router';
import { SessionProvider, useSession } from './session';

export function App() {
  return (
    <SessionProvider>
      <ToastProvider>
        <Routes />
      </ToastProvider>
    </SessionProvider>
  );
}

function Routes() {
  const { key, info } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (key && info && (path === '/' || path === '')) navigate(homeOf(info), { replace: true });
  }, [key, info, path]);

  if (!key || !info) return <SignInPage />;
  if (path === '/' || path === '') return null;

  let m: Record<string, string> | undefined;
  let page;
  if (path === '/tenants') page = <TenantsPage />;
  else if ((m = match('/tenants/:tenantId/users', path))) page = <UsersPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/users/:userId', path))) page = <UserPage tenantId={m['tenantId']!} userId={m['userId']!} tab="overview" />;
  else if ((m = match('/tenants/:tenantId/users/:userId/:tab', path)) && (m['tab'] === 'sessions' || m['tab'] === 'audit')) {
    page = <UserPage tenantId={m['tenantId']!} userId={m['userId']!} tab={m['tab']} />;
  } else if ((m = match('/tenants/:tenantId/settings', path))) page = <SettingsPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/branding', path))) page = <BrandingPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/audit', path))) page = <AuditPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/resets', path))) page = <ResetsPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/import', path))) page = <ImportPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/approvals', path))) page = <ApprovalsPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/webhooks', path))) page = <WebhooksPage tenantId={m['tenantId']!} />;
  else if ((m = match('/tenants/:tenantId/webhooks/:endpointId', path))) page = <WebhookEndpointPage tenantId={m['tenantId']!} endpointId={m['endpointId']!} />;
  else page = <NotFoundPage />;

  return <Shell tenantId={m?.['tenantId']}>{page}</Shell>;
}
