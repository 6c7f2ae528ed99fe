import { useState } from 'react';
import { api } from '../api/client';
import type { TenantList } from '../api/types';
import { PageHeading } from '../components/PageHeading';
import { SearchForm } from '../components/SearchForm';
import { LoadError, useLoad } from '../components/useLoad';
import { formatDuration } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';

/** The platform key's start page: pick the tenant to work in. */
export function TenantsPage() {
  const { client } = useSession();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const list = useLoad(
    () => client.get<TenantList>(`/admin/tenants?limit=25${q ? `&q=${encodeURIComponent(q)}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    [client, q, cursor],
  );
  const search = (term: string) => {
    setCursors([]);
    navigate(term ? `/tenants?q=${encodeURIComponent(term)}` : '/tenants');
  };
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Choose a tenant</PageHeading>
          <p className="subtitle">The platform key acts on every tenant. Pick the one to work in.</p>
        </div>
      </div>
      <SearchForm id="tenant-search" label="Search tenants" placeholder="Search by id or name" initial={q} onSearch={search} />
      <div className="card" aria-busy={list.loading}>
        {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
        {list.data && list.data.items.length === 0 ? <p>No tenants{q ? ` match “${q}”` : ' yet'}.</p> : null}
        {list.data && list.data.items.length > 0 ? (
          <table className="data">
            <caption className="visually-hidden">Tenants</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Reset links valid for</th></tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id}>
                  <td><Link to={api`/tenants/${t.id}/users`}>{t.name}</Link></td>
                  <td><code>{t.id}</code></td>
                  <td>{formatDuration(t.settings.resetLinkTtlSeconds)}</td>
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

export function Pager({ hasPrevious, next, onPrevious, onNext }: { hasPrevious: boolean; next: string | null; onPrevious: () => void; onNext: (cursor: string) => void }) {
  if (!hasPrevious && !next) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!hasPrevious} onClick={onPrevious}>Previous page</button>
      <button type="button" disabled={!next} onClick={() => next && onNext(next)}>Next page</button>
    </nav>
  );
}
