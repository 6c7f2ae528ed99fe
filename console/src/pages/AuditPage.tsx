import { useEffect, useState, type FormEvent } from 'react';
import { api, downloadFile, errorMessage, ok } from '../api/client';
import type { ApiKeyList } from '../api/types';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/PagedList';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { useUserEmails } from '../components/useUserEmails';
import { formatDateTime, fromNow } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { consoleConfig, workflowUrl } from '../temporalLinks';
import { actorText, AUDIT_WORDS, eventText, SYSTEM_ACTORS, type AuditAction } from '../user/auditText';

const PAGE_SIZE = 25;

/** Every audit action, as the filter offers it (the audit catalogue's, through the generated client). */
const ACTIONS = Object.fromEntries(Object.entries(AUDIT_WORDS).map(([action, w]) => [action, w.label])) as Record<AuditAction, string>;

interface Filters {
  action: string;
  /** an email address or a user id */
  user: string;
  actor: string;
  /** yyyy-mm-dd, in the browser's time zone */
  from: string;
  to: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The start of a day in the browser's time zone, as an instant. */
function startOfDay(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

/** The API's query for the filters: `to` is inclusive here (the whole day), exclusive in the API. */
function apiQuery(f: Filters, userId: string | undefined): { action?: string; userId?: string; actorId?: string; from?: string; to?: string } {
  return {
    ...(f.action ? { action: f.action } : {}),
    ...(userId ? { userId } : {}),
    ...(f.actor ? { actorId: f.actor } : {}),
    ...(f.from ? { from: startOfDay(f.from) } : {}),
    ...(f.to ? { to: startOfDay(f.to, 1) } : {}),
  };
}

/**
 * The tenant's audit log: filters for action, user, actor and dates (kept in the
 * address, so a filtered view can be shared), pages of events each linking to its
 * user and its workflow, and the same events as a CSV file.
 */
export function AuditPage({ tenantId }: { tenantId: string }) {
  const { client, info, key, signOut } = useSession();
  const toasts = useToasts();
  const { query } = useLocation();
  const filters: Filters = {
    action: query.get('action') ?? '', user: query.get('user') ?? '', actor: query.get('actor') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '',
  };
  const filterKey = JSON.stringify(filters);
  const [cursors, setCursors] = useState<string[]>([]);
  useEffect(() => setCursors([]), [filterKey, tenantId]);
  const cursor = cursors[cursors.length - 1];
  const [exporting, setExporting] = useState(false);

  // a user given by email is looked up once; an id is used as it is
  const user = useLoad(async () => {
    const u = filters.user.trim();
    if (!u || UUID.test(u)) return { id: u || undefined };
    const found = await ok(client.GET('/admin/tenants/{tenantId}/users', { params: { path: { tenantId }, query: { q: u, limit: 20 } } }));
    const exact = found.items.find((x) => x.email.toLowerCase() === u.toLowerCase());
    return exact ? { id: exact.id } : { id: undefined, missing: u };
  }, [client, tenantId, filters.user]);
  const missing = user.data && 'missing' in user.data ? user.data.missing : undefined;

  const page = useLoad(async () => {
    if (!user.data || missing) return undefined;
    const query = { ...apiQuery(filters, user.data.id), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    const [list, cfg] = await Promise.all([
      ok(client.GET('/admin/tenants/{tenantId}/audit-events', { params: { path: { tenantId }, query } })),
      consoleConfig().catch(() => undefined),
    ]);
    return { list, cfg };
  }, [client, tenantId, filterKey, user.data, cursor]);
  const events = page.data?.list.items ?? [];
  const emails = useUserEmails(tenantId, events.map((e) => e.userId));

  // the platform key can list the tenant's keys for the actor filter; a tenant key offers itself
  const keys = useLoad(
    (): Promise<ApiKeyList> => (info?.scope === 'platform'
      ? ok(client.GET('/admin/tenants/{tenantId}/api-keys', { params: { path: { tenantId } } }))
      : Promise.resolve({ items: info ? [{ id: info.id, name: info.name ?? info.id, createdAt: '' }] : [] })),
    [client, tenantId, info],
  );

  const apply = (f: Filters) => {
    const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
    navigate(`${api`/tenants/${tenantId}/audit`}${q.size > 0 ? `?${q}` : ''}`);
  };

  const exportCsv = async () => {
    if (!user.data || missing) return;
    setExporting(true);
    try {
      const query = new URLSearchParams(apiQuery(filters, user.data.id));
      const { blob, filename } = await downloadFile(key, `${api`/admin/tenants/${tenantId}/audit-events`}${query.size > 0 ? `?${query}` : ''}`, 'text/csv',
        () => signOut('The admin key was refused (revoked or mistyped). Sign in again.'));
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = filename ?? `audit-${tenantId}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      toasts.ok(`Exported ${a.download}: every event matching the filters.`);
    } catch (err) {
      toasts.fail(`The export failed. ${errorMessage(err)}`);
    } finally {
      setExporting(false);
    }
  };

  const cfg = page.data?.cfg;
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Audit</PageHeading>
          <p className="subtitle">Everything that happened in this tenant, newest first: who did what, to whom, through which workflow.</p>
        </div>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting || !!missing}>{exporting ? 'Exporting…' : 'Export CSV'}</button>
      </div>
      <FilterForm key={filterKey} initial={filters} onApply={apply} actors={[
        { id: 'platform', name: 'Platform admin key' },
        ...(keys.data?.items ?? []).map((k) => ({ id: k.id, name: `Key “${k.name}”` })),
        ...Object.entries(SYSTEM_ACTORS).map(([id, name]) => ({ id, name })),
      ]} />
      <div className="card" aria-busy={page.loading || user.loading}>
        {user.error ? <LoadError error={user.error} retry={user.reload} /> : null}
        {missing ? <div className="notice warn" role="status"><p>No user of this tenant has the email address “{missing}”.</p></div> : null}
        {page.error ? <LoadError error={page.error} retry={page.reload} /> : null}
        {page.data && events.length === 0 ? <p role="status">No events match these filters.</p> : null}
        {page.data && !cfg ? <p className="hint">The Temporal Web UI address could not be read, so workflow links are missing.</p> : null}
        {events.length > 0 ? (
          <table className="data events-table">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr><th scope="col">When</th><th scope="col">What</th><th scope="col">User</th><th scope="col">Workflow</th></tr>
            </thead>
            <tbody>
              {events.map((e) => {
                const url = cfg ? workflowUrl(cfg, e.workflowId, e.runId) : undefined;
                return (
                  <tr key={e.id}>
                    <td>
                      <time dateTime={e.occurredAt} title={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
                      <span className="muted">{fromNow(e.occurredAt)}</span>
                    </td>
                    <td className="what">
                      {eventText(e)}
                      <span className="muted">{actorText(e)} · <code>{e.action}</code></span>
                    </td>
                    <td>{e.userId ? <Link to={api`/tenants/${tenantId}/users/${e.userId}`}>{emails.get(e.userId) ?? e.userId}</Link> : <span className="muted">—</span>}</td>
                    <td>
                      {url ? (
                        <a href={url} target="_blank" rel="noopener noreferrer">
                          View workflow<span className="visually-hidden"> {e.workflowId} in the Temporal Web UI (opens in a new tab)</span>
                        </a>
                      ) : <span className="muted">—</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
        <Pager hasPrevious={cursors.length > 0} next={page.data?.list.nextCursor ?? null} onPrevious={() => setCursors((c) => c.slice(0, -1))} onNext={(n) => setCursors((c) => [...c, n])} />
      </div>
    </>
  );
}

function FilterForm({ initial, onApply, actors }: { initial: Filters; onApply: (f: Filters) => void; actors: { id: string; name: string }[] }) {
  const [f, setF] = useState(initial);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  const blank: Filters = { action: '', user: '', actor: '', from: '', to: '' };
  return (
    <form className="card filters" onSubmit={submit} aria-label="Filter audit events">
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={f.action} onChange={set('action')}>
          <option value="">Any action</option>
          {Object.entries(ACTIONS).map(([id, label]) => <option key={id} value={id}>{label}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-user">User</label>
        <input id="audit-user" type="search" placeholder="Email or user id" value={f.user} onChange={set('user')} />
      </div>
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <select id="audit-actor" value={f.actor} onChange={set('actor')}>
          <option value="">Anyone</option>
          {actors.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          {f.actor && !actors.some((a) => a.id === f.actor) ? <option value={f.actor}>{f.actor}</option> : null}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" type="date" value={f.from} onChange={set('from')} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" type="date" value={f.to} min={f.from || undefined} onChange={set('to')} />
      </div>
      <div className="actions">
        <button type="submit" className="primary">Apply filters</button>
        <button type="button" onClick={() => onApply(blank)}>Clear</button>
      </div>
    </form>
  );
}
