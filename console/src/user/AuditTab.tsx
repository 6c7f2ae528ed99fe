import { useState } from 'react';
import { createApiClient, errorMessage, ok } from '../api/client';
import type { AuditEvent, ConsoleConfig, User } from '../api/types';
import { LoadError, useLoad } from '../components/useLoad';
import { formatDateTime, fromNow } from '../format';
import { useSession } from '../session';
import { eventText } from './auditText';

let config: Promise<ConsoleConfig> | undefined;
/** GET /console/config.json, once: where the Temporal Web UI is. */
function consoleConfig(): Promise<ConsoleConfig> {
  config ??= ok(createApiClient(undefined).GET('/console/config.json')).catch((err: unknown) => {
    config = undefined;
    throw err;
  });
  return config;
}

function workflowUrl(c: ConsoleConfig, e: AuditEvent): string | undefined {
  if (!e.workflowId) return undefined;
  return `${c.temporalUiUrl}/namespaces/${encodeURIComponent(c.namespace)}/workflows/${encodeURIComponent(e.workflowId)}${e.runId ? `/${encodeURIComponent(e.runId)}` : ''}/history`;
}

/** The user's audit events, newest first, each linking to the workflow that caused it. */
export function AuditTab({ user }: { user: User }) {
  const { client } = useSession();
  const first = useLoad(
    async () => {
      const [page, cfg] = await Promise.all([
        ok(client.GET('/admin/tenants/{tenantId}/audit-events', { params: { path: { tenantId: user.tenantId }, query: { userId: user.id, limit: 50 } } })),
        consoleConfig().catch(() => undefined),
      ]);
      return { page, cfg };
    },
    [client, user],
  );
  const [older, setOlder] = useState<{ items: AuditEvent[]; nextCursor: string | null }>();
  const [olderError, setOlderError] = useState<string>();
  const items = [...(first.data?.page.items ?? []), ...(older?.items ?? [])];
  const nextCursor = older ? older.nextCursor : first.data?.page.nextCursor ?? null;
  const cfg = first.data?.cfg;

  const loadOlder = async () => {
    if (!nextCursor) return;
    try {
      const page = await ok(client.GET('/admin/tenants/{tenantId}/audit-events', { params: { path: { tenantId: user.tenantId }, query: { userId: user.id, limit: 50, cursor: nextCursor } } }));
      setOlder((o) => ({ items: [...(o?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
      setOlderError(undefined);
    } catch (err) {
      setOlderError(errorMessage(err));
    }
  };

  return (
    <>
      <div className="row">
        <h2>Audit events</h2>
        <span className="spacer" />
        <button type="button" onClick={() => { setOlder(undefined); void first.reload(); }}>Refresh</button>
      </div>
      <p className="hint">Newest first. Each event links to the workflow that recorded it in the Temporal Web UI.</p>
      {first.error ? <LoadError error={first.error} retry={first.reload} /> : null}
      {first.data && items.length === 0 ? <p>No events for this user yet.</p> : null}
      {first.data && !cfg ? <p className="hint">The Temporal Web UI address could not be read, so workflow links are missing.</p> : null}
      <ol className="events" aria-label="Audit events, newest first">
        {items.map((e) => {
          const url = cfg ? workflowUrl(cfg, e) : undefined;
          return (
            <li key={e.id}>
              <span>{eventText(e)}</span>
              <time className="when" dateTime={e.occurredAt} title={e.occurredAt}>
                {formatDateTime(e.occurredAt)} · {fromNow(e.occurredAt)}
              </time>
              <span className="muted">
                <code>{e.action}</code>
              </span>
              {url ? (
                <a href={url} target="_blank" rel="noopener noreferrer">
                  View workflow<span className="visually-hidden"> {e.workflowId} in the Temporal Web UI (opens in a new tab)</span>
                </a>
              ) : <span />}
            </li>
          );
        })}
      </ol>
      {olderError ? <div className="notice bad" role="alert">{olderError}</div> : null}
      {nextCursor ? <div className="pager"><button type="button" onClick={() => void loadOlder()}>Load older events</button></div> : null}
    </>
  );
}
