import { useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage, ok } from '../api/client';
import { Checkbox, Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { formatDateTime } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { SecretOnce } from './webhookParts';

/**
 * Outbound webhooks (api.md, "Outbound webhooks"): the tenant's endpoints, and a form to add
 * one. Its signing secret is shown once, right after creation; each endpoint's page has its
 * deliveries, a test event, the secret's rotation and its deletion.
 */
export function WebhooksPage({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const toasts = useToasts();
  const endpoints = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}/webhook-endpoints', { params: { path: { tenantId } } })), [client, tenantId]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(true);
  const [types, setTypes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string>();
  const [created, setCreated] = useState<{ id: string; url: string; secret: string }>();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const eventTypes = all ? undefined : types.split(/[\s,]+/).filter(Boolean);
      const ep = await ok(client.POST('/admin/tenants/{tenantId}/webhook-endpoints', {
        params: { path: { tenantId } },
        body: { url: url.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...(eventTypes ? { eventTypes: eventTypes as never } : {}) },
      }));
      setCreated({ id: ep.id, url: ep.url, secret: ep.secret });
      setUrl('');
      setDescription('');
      toasts.ok('Endpoint created. Copy its signing secret now: it is not shown again.');
      await endpoints.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const apiError = error instanceof ApiError ? error : undefined;

  return (
    <>
      <PageHeading>Webhooks</PageHeading>
      {created ? (
        <SecretOnce title={`Signing secret of ${created.url}`} secret={created.secret} onDone={() => setCreated(undefined)}>
          <p><Link to={api`/tenants/${tenantId}/webhooks/${created.id}`}>Open the endpoint</Link> to send it a test event.</p>
        </SecretOnce>
      ) : null}
      <section className="card">
        <h2>Endpoints</h2>
        <p>Every audit event of this tenant is POSTed, signed as the Standard Webhooks specification says, to each endpoint subscribed to its action; failures are retried for more than a day.</p>
        {endpoints.error ? <LoadError error={endpoints.error} retry={() => void endpoints.reload()} /> : null}
        {endpoints.data ? (
          endpoints.data.items.length === 0 ? <p>No endpoint yet.</p> : (
            <table className="data">
              <caption className="visually-hidden">Webhook endpoints</caption>
              <thead><tr><th scope="col">URL</th><th scope="col">Description</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {endpoints.data.items.map((ep) => (
                  <tr key={ep.id}>
                    <td><Link to={api`/tenants/${tenantId}/webhooks/${ep.id}`}>{ep.url}</Link></td>
                    <td>{ep.description}</td>
                    <td>{ep.allEventTypes ? 'All' : ep.eventTypes.join(', ')}</td>
                    <td>{ep.enabled ? 'Enabled' : `Disabled${ep.disabledReason ? ` (${ep.disabledReason})` : ''}`}</td>
                    <td>{formatDateTime(ep.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}
      </section>
      <section className="card">
        <h2>Add an endpoint</h2>
        <form onSubmit={create} noValidate>
          <Field label="URL" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/webhooks/resetflow"
            hint="https:// on a public address (http:// to this machine only in development)." error={apiError?.forField('url')} />
          <Field label="Description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
          <Checkbox label="All events" checked={all} onChange={setAll} hint="Including actions added to resetflow later." />
          {!all ? (
            <Field label="Event types" value={types} onChange={(e) => setTypes(e.target.value)} placeholder="user.password_reset_completed, user.password_change_reported"
              hint="Audit actions, separated by commas." error={apiError?.forField('eventTypes') ?? apiError?.errors.find((p) => p.field.startsWith('eventTypes'))?.message} />
          ) : null}
          {error && !(apiError?.forField('url')) ? <p className="notice bad" role="alert">{typeof error === 'string' ? error : error.message}</p> : null}
          <p><button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create endpoint'}</button></p>
        </form>
      </section>
    </>
  );
}
