import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage, ok } from '../api/client';
import { Field, Switch } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { formatDateTime } from '../format';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { DELIVERY_STATE, SecretOnce } from './webhookParts';

/**
 * One webhook endpoint: change it, send it a test event, rotate its secret (the old one signs
 * for 24 h more), delete it; and its deliveries, newest first, with state, attempts, last
 * status and next attempt, a failed one retried on demand. Read again every 2 s while a
 * delivery is pending.
 */
export function WebhookEndpointPage({ tenantId, endpointId }: { tenantId: string; endpointId: string }) {
  const { client } = useSession();
  const toasts = useToasts();
  const path = { tenantId, endpointId };
  const endpoint = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}', { params: { path } })), [client, tenantId, endpointId]);
  const deliveries = useLoad(
    () => ok(client.GET('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries', { params: { path, query: { limit: 50 } } })),
    [client, tenantId, endpointId],
  );
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | string>();
  const [secret, setSecret] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  const ep = endpoint.data;
  useEffect(() => {
    if (!ep) return;
    setUrl(ep.url);
    setDescription(ep.description);
    setEnabled(ep.enabled);
  }, [ep]);

  const pending = deliveries.data?.items.some((d) => d.state === 'pending') ?? false;
  const reloadDeliveries = deliveries.reload;
  useEffect(() => {
    if (!pending) return undefined;
    const t = setTimeout(() => void reloadDeliveries(), 2000);
    return () => clearTimeout(t);
  }, [pending, deliveries.data, reloadDeliveries]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      toasts.ok(done);
      await Promise.all([endpoint.reload(), deliveries.reload()]);
    } catch (err) {
      toasts.fail(errorMessage(err));
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setSaveError(undefined);
    try {
      await ok(client.PATCH('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}', {
        params: { path }, body: { url: url.trim(), description: description.trim(), enabled },
      }));
      toasts.ok('Endpoint saved.');
      await endpoint.reload();
    } catch (err) {
      setSaveError(err instanceof ApiError ? err : errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  const saveApiError = saveError instanceof ApiError ? saveError : undefined;

  const sendTest = () => act(() => ok(client.POST('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/test', { params: { path } })), 'Test event queued.');
  const rotate = async () => {
    try {
      const r = await ok(client.POST('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/rotate-secret', { params: { path } }));
      setSecret(r.secret);
      await endpoint.reload();
    } catch (err) {
      toasts.fail(errorMessage(err));
    }
  };
  const remove = async () => {
    try {
      await ok(client.DELETE('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}', { params: { path } }));
      toasts.ok('Endpoint deleted.');
      navigate(api`/tenants/${tenantId}/webhooks`);
    } catch (err) {
      toasts.fail(errorMessage(err));
    }
  };
  const retry = (deliveryId: string) =>
    act(() => ok(client.POST('/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry', { params: { path: { ...path, deliveryId } } })), 'Delivery queued again.');

  return (
    <>
      <p><Link to={api`/tenants/${tenantId}/webhooks`}>← Webhooks</Link></p>
      <PageHeading>Webhook endpoint</PageHeading>
      {endpoint.error ? <LoadError error={endpoint.error} retry={() => void endpoint.reload()} /> : null}
      {secret ? <SecretOnce title="New signing secret" secret={secret} onDone={() => setSecret(undefined)}><p>The previous secret also signs for 24 hours.</p></SecretOnce> : null}
      {ep ? (
        <>
          <section className="card">
            <h2>{ep.url}</h2>
            <dl className="facts">
              <dt>State</dt><dd>{ep.enabled ? 'Enabled' : `Disabled${ep.disabledReason ? `: ${ep.disabledReason}` : ''}`}</dd>
              <dt>Events</dt><dd>{ep.allEventTypes ? 'All' : ep.eventTypes.join(', ')}</dd>
              <dt>Created</dt><dd>{formatDateTime(ep.createdAt)}</dd>
              {ep.previousSecretExpiresAt ? (<><dt>Previous secret signs until</dt><dd>{formatDateTime(ep.previousSecretExpiresAt)}</dd></>) : null}
            </dl>
            <p>
              <button type="button" onClick={() => void sendTest()}>Send test event</button>{' '}
              <button type="button" onClick={() => void rotate()}>Rotate secret</button>{' '}
              {confirmDelete ? (
                <>
                  <button type="button" className="danger" onClick={() => void remove()}>Delete for good</button>{' '}
                  <button type="button" onClick={() => setConfirmDelete(false)}>Keep it</button>
                </>
              ) : (
                <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>Delete…</button>
              )}
            </p>
          </section>
          <section className="card">
            <h2>Edit</h2>
            <form onSubmit={save} noValidate>
              <Field label="URL" type="url" value={url} onChange={(e) => setUrl(e.target.value)} error={saveApiError?.forField('url')} />
              <Field label="Description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
              <Switch label="Enabled" checked={enabled} onChange={setEnabled} hint="A disabled endpoint receives nothing; enabling it clears the reason it was disabled." />
              {saveError && !saveApiError?.forField('url') ? <p className="notice bad" role="alert">{typeof saveError === 'string' ? saveError : saveError.message}</p> : null}
              <p><button type="submit" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button></p>
            </form>
          </section>
        </>
      ) : null}
      <section className="card" aria-live="polite">
        <h2>Deliveries</h2>
        {deliveries.error ? <LoadError error={deliveries.error} retry={() => void deliveries.reload()} /> : null}
        {deliveries.data ? (
          deliveries.data.items.length === 0 ? <p>No delivery yet.</p> : (
            <table className="data">
              <caption className="visually-hidden">Deliveries, newest first</caption>
              <thead>
                <tr><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last status</th><th scope="col">Last attempt</th><th scope="col">Next attempt</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {deliveries.data.items.map((d) => (
                  <tr key={d.id}>
                    <td><a href={d.temporalUiUrl} target="_blank" rel="noreferrer">{d.eventType}</a></td>
                    <td>{DELIVERY_STATE[d.state] ?? d.state}</td>
                    <td>{d.attempts}</td>
                    <td>{d.lastStatus ?? d.lastError ?? '—'}{d.lastStatus !== undefined && d.lastError ? ` (${d.lastError})` : ''}</td>
                    <td>{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : '—'}</td>
                    <td>{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '—'}</td>
                    <td>{d.state === 'failed' ? <button type="button" className="small" onClick={() => void retry(d.id)}>Retry</button> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}
      </section>
    </>
  );
}
