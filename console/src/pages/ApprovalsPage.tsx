import { useState, type FormEvent } from 'react';
import { api, errorMessage, ok } from '../api/client';
import type { Approval } from '../api/types';
import { APPROVAL_ACTIONS, APPROVAL_STATES, actorName } from '../approvals/words';
import { PageHeading } from '../components/PageHeading';
import { PagedSection } from '../components/PagedSection';
import { useToasts } from '../components/Toasts';
import { formatDateTime, fromNow } from '../format';
import { Link } from '../router';
import { useSession } from '../session';

const PAGE_SIZE = 20;

/**
 * Resets held for a second admin (four eyes): the pending ones first, with who asked,
 * for whom, what and the time left, each approved or rejected (with a reason) here;
 * then every decision, newest first.
 */
export function ApprovalsPage({ tenantId }: { tenantId: string }) {
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>Approvals</PageHeading>
          <p className="subtitle">
            Password resets held for a second admin. Before approving, check with the user through a channel you trust that they asked for it: a caller who
            talked the first admin into it may be an attacker. You cannot approve your own request.
          </p>
        </div>
      </div>
      <ApprovalSection tenantId={tenantId} id="pending" title="Waiting for approval" state="pending" empty="No reset is waiting for approval." version={version} onDecided={changed} />
      <ApprovalSection tenantId={tenantId} id="decided" title="All approvals" empty="No reset has been held for approval yet." version={version} onDecided={changed} />
    </>
  );
}

function ApprovalSection(props: { tenantId: string; id: string; title: string; state?: 'pending'; empty: string; version: number; onDecided: () => void }) {
  const { client } = useSession();
  const pending = props.state === 'pending';
  return (
    <PagedSection<Approval>
      tenantId={props.tenantId}
      id={props.id}
      title={props.title}
      empty={props.empty}
      reloadKey={`${props.state ?? ''}:${props.version}`}
      load={(cursor) => ok(client.GET('/admin/tenants/{tenantId}/approvals', {
        params: { path: { tenantId: props.tenantId }, query: { limit: PAGE_SIZE, ...(props.state ? { state: props.state } : {}), ...(cursor ? { cursor } : {}) } },
      }))}
      columns={['User', 'Action', 'Asked by', pending ? 'Time left' : 'State', pending ? 'Decision' : 'Decided by']}
      itemKey={(a) => a.approvalId}
      userIdOf={(a) => a.userId}
      row={(a, email) => <ApprovalRow tenantId={props.tenantId} approval={a} email={email} pending={pending} onDecided={props.onDecided} />}
    />
  );
}

function ApprovalRow({ tenantId, approval: a, email, pending, onDecided }: { tenantId: string; approval: Approval; email: string | undefined; pending: boolean; onDecided: () => void }) {
  const who = email ?? a.userId;
  const tone = a.state === 'approved' ? 'ok' : a.state === 'rejected' ? 'bad' : a.state === 'expired' ? 'warn' : '';
  return (
    <tr>
      <td><Link to={api`/tenants/${tenantId}/users/${a.userId}`}>{who}</Link></td>
      <td>
        {APPROVAL_ACTIONS[a.action]}
        {a.options.revokeSessions ? <div className="muted">and revoke all sessions</div> : null}
      </td>
      <td>
        {actorName(a.requestedBy)}
        <div className="muted"><time dateTime={a.requestedAt} title={formatDateTime(a.requestedAt)}>{fromNow(a.requestedAt)}</time></div>
      </td>
      <td>
        {pending
          ? <time dateTime={a.expiresAt} title={formatDateTime(a.expiresAt)}>expires {fromNow(a.expiresAt)}</time>
          : <span className={`badge ${tone}`}>{APPROVAL_STATES[a.state]}</span>}
      </td>
      <td>
        {pending ? <Decide tenantId={tenantId} approval={a} who={who} onDecided={onDecided} /> : (
          <>
            {actorName(a.decidedBy)}
            {a.reason ? <div className="muted">“{a.reason}”</div> : null}
          </>
        )}
      </td>
    </tr>
  );
}

function Decide({ tenantId, approval: a, who, onDecided }: { tenantId: string; approval: Approval; who: string; onDecided: () => void }) {
  const { client } = useSession();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const path = { tenantId, approvalId: a.approvalId };
  const reasonId = `reason-${a.approvalId}`;

  const run = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      if (decision === 'approve') {
        await ok(client.POST('/admin/tenants/{tenantId}/approvals/{approvalId}/approve', { params: { path }, body: {} }));
        toasts.ok(`Approved: ${APPROVAL_ACTIONS[a.action].toLowerCase()} for ${who} is applied.`);
      } else {
        await ok(client.POST('/admin/tenants/{tenantId}/approvals/{approvalId}/reject', { params: { path }, body: reason.trim() ? { reason: reason.trim() } : {} }));
        toasts.ok(`Rejected: nothing was applied for ${who}.`);
      }
      onDecided();
    } catch (err) {
      toasts.fail(`Not ${decision === 'approve' ? 'approved' : 'rejected'}. ${errorMessage(err)}`);
      onDecided();
    } finally {
      setBusy(false);
    }
  };
  const reject = (e: FormEvent) => {
    e.preventDefault();
    void run('reject');
  };

  return (
    <form className="row" onSubmit={reject} aria-label={`Decide on ${APPROVAL_ACTIONS[a.action].toLowerCase()} for ${who}`}>
      <button type="button" className="primary small" disabled={busy} onClick={() => void run('approve')}>
        Approve<span className="visually-hidden"> {APPROVAL_ACTIONS[a.action].toLowerCase()} for {who}</span>
      </button>
      <label className="visually-hidden" htmlFor={reasonId}>Reason for rejecting (optional)</label>
      <input id={reasonId} type="text" maxLength={1000} placeholder="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} disabled={busy} />
      <button type="submit" className="small" disabled={busy}>
        Reject<span className="visually-hidden"> {APPROVAL_ACTIONS[a.action].toLowerCase()} for {who}</span>
      </button>
    </form>
  );
}
