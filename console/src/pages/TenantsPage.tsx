import { useCallback } from 'react';
import { api, ok } from '../api/client';
import { PagedList, pageQuery } from '../components/PagedList';
import { formatDuration } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';

/** The platform key's start page: pick the tenant to work in. */
export function TenantsPage() {
  const { client } = useSession();
  const q = useLocation().query.get('q') ?? '';
  const load = useCallback((cursor: string | undefined) => ok(client.GET('/admin/tenants', { params: { query: pageQuery(25, q, cursor) } })), [client, q]);
  return (
    <PagedList
      heading="Choose a tenant"
      subtitle="The platform key acts on every tenant. Pick the one to work in."
      search={{ id: 'tenant-search', label: 'Search tenants', placeholder: 'Search by id or name', q, onSearch: (term) => navigate(term ? `/tenants?q=${encodeURIComponent(term)}` : '/tenants') }}
      load={load}
      noun="tenants"
      columns={['Name', 'Id', 'Reset links valid for']}
      itemKey={(t) => t.id}
      row={(t) => (
        <>
          <td><Link to={api`/tenants/${t.id}/users`}>{t.name}</Link></td>
          <td><code>{t.id}</code></td>
          <td>{formatDuration(t.settings.resetLinkTtlSeconds)}</td>
        </>
      )}
    />
  );
}
