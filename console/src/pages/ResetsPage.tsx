import { api, ok } from '../api/client';
import type { ResetStatus } from '../api/types';
import { PageHeading } from '../components/PageHeading';
import { PagedSection } from '../components/PagedSection';
import { deliveryText, RESET_STATES } from '../delivery';
import { formatDateTime, fromNow } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { DeliveryLine } from '../user/DeliveryLine';

const PAGE_SIZE = 20;

/**
 * The tenant's reset links at a glance: the emails that did not arrive first
 * (bounced, marked as spam, refused), then the pending links with their expiry and
 * delivery, then every reset's outcome, newest first.
 */
export function ResetsPage({ tenantId }: { tenantId: string }) {
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Resets</PageHeading>
          <p className="subtitle">Reset links of this tenant: whether their email arrived, which are still open, and how each one ended.</p>
        </div>
      </div>
      <ResetSection
        tenantId={tenantId}
        id="undelivered"
        title="Emails that did not arrive"
        hint="Bounced, marked as spam or refused by the mail provider, newest first. A hard bounce or a complaint cancels the link: check the address, then send a new one or set a temporary password."
        query={{ delivery: 'bounced,complained,failed' }}
        empty="Every reset email so far was delivered or is on its way."
      />
      <ResetSection tenantId={tenantId} id="pending" title="Pending links" hint="Links the user can still use, newest first." query={{ state: 'pending' }} empty="No pending reset links." showExpiry />
      <ResetSection tenantId={tenantId} id="recent" title="Recent resets" hint="Every reset link and how it ended, newest first." query={{}} empty="No reset links yet." />
    </>
  );
}

/** The list's filter: a state (as of now) or the delivery states, comma-separated. */
type ResetFilter = { state?: 'pending'; delivery?: string };

function ResetSection(props: { tenantId: string; id: string; title: string; hint: string; query: ResetFilter; empty: string; showExpiry?: boolean }) {
  const { client } = useSession();
  const showExpiry = props.showExpiry ?? false;
  return (
    <PagedSection<ResetStatus>
      tenantId={props.tenantId}
      id={props.id}
      title={props.title}
      hint={props.hint}
      empty={props.empty}
      reloadKey={JSON.stringify(props.query)}
      load={(cursor) => ok(client.GET('/admin/tenants/{tenantId}/password-resets', {
        params: { path: { tenantId: props.tenantId }, query: { limit: PAGE_SIZE, ...props.query, ...(cursor ? { cursor } : {}) } },
      }))}
      columns={['User', 'State', showExpiry ? 'Expires' : 'Sent', 'Email', 'Workflow']}
      itemKey={(r) => r.resetId}
      userIdOf={(r) => r.userId}
      row={(r, email) => <ResetRow tenantId={props.tenantId} reset={r} email={email} showExpiry={showExpiry} />}
    />
  );
}

function ResetRow({ tenantId, reset: r, email, showExpiry }: { tenantId: string; reset: ResetStatus; email: string | undefined; showExpiry: boolean }) {
  const tone = r.state === 'pending' ? '' : r.state === 'completed' ? 'ok' : r.state === 'cancelled' ? 'bad' : 'warn';
  return (
    <tr>
      <td><Link to={api`/tenants/${tenantId}/users/${r.userId}`}>{email ?? r.userId}</Link></td>
      <td><span className={`badge ${tone}`}>{RESET_STATES[r.state]}</span></td>
      <td>
        {showExpiry
          ? <time dateTime={r.expiresAt} title={formatDateTime(r.expiresAt)}>{fromNow(r.expiresAt)}</time>
          : <time dateTime={r.createdAt} title={r.createdAt}>{formatDateTime(r.createdAt)}</time>}
      </td>
      <td><DeliveryLine {...deliveryText(r.delivery, r.state)} /></td>
      <td>
        <a href={r.temporalUiUrl} target="_blank" rel="noopener noreferrer">
          View workflow<span className="visually-hidden"> {r.workflowId} in the Temporal Web UI (opens in a new tab)</span>
        </a>
      </td>
    </tr>
  );
}
