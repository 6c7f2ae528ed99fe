import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, errorMessage, ok } from '../api/client';
import type { BulkStatus } from '../api/types';
import { useToasts } from '../components/Toasts';
import { formatDateTime } from '../format';
import { useSession } from '../session';

/** How often a running operation is read again; slower after a failed read. */
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 15_000;

const STATE_LABELS: Record<BulkStatus['state'], { text: string; badge: string }> = {
  running: { text: 'Running', badge: 'badge' },
  completed: { text: 'Completed', badge: 'badge ok' },
  cancelled: { text: 'Stopped', badge: 'badge warn' },
  failed: { text: 'Failed', badge: 'badge bad' },
};

const users = (n: number) => `${n} user${n === 1 ? '' : 's'}`;

/** One sentence for the state: it changes only when the state does, so the live region is not chatty. */
function summary(s: BulkStatus | undefined): string {
  if (!s) return 'Starting…';
  switch (s.state) {
    case 'running':
      return `Running since ${formatDateTime(s.startedAt)}. The counts below update every second.`;
    case 'completed':
      return `Completed. ${users(s.done)} must choose a new password at their next sign-in; ${s.skipped} skipped (a change was already required).`;
    case 'cancelled':
      // the counts cover finished activities: a batch under way when it stopped may still have flagged a few more
      return `Stopped. No new batches start; users already flagged stay flagged (${s.done} counted).`;
    case 'failed':
      return `Failed. ${users(s.done)} were flagged before it failed and stay flagged. The workflow in the Temporal Web UI says why.`;
  }
}

/**
 * A rotation run or bulk forced reset (GET /admin/tenants/{t}/bulk-operations/{id}):
 * its state, counts and workflow link, read again every second while it runs
 * (never faster: the next read starts a second after the last answer), with Stop
 * (DELETE, which cancels the rest; users already done stay done). Mount it with
 * key={operationId}: it follows one operation.
 */
export function OperationProgress(props: {
  tenantId: string;
  operationId: string;
  initial?: BulkStatus | undefined;
  title: string;
  /** told whether it is (still) running, or being started; false once it ended or the server refused to say */
  onRunning?: (running: boolean) => void;
}) {
  const { client } = useSession();
  const toasts = useToasts();
  const { tenantId, operationId } = props;
  const [status, setStatus] = useState<BulkStatus | undefined>(props.initial);
  const [readError, setReadError] = useState<string>();
  const [stopping, setStopping] = useState(false);
  const [retry, setRetry] = useState(0);
  /** the server refused to say (unknown id): nothing to show or poll but that */
  const [refused, setRefused] = useState<string>();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const stopHadFocus = useRef(false);
  const running = !refused && (!status || status.state === 'running');

  // a finished operation never goes back to running (a read that was in flight when Stop answered)
  const accept = (next: BulkStatus) => setStatus((prev) => (prev && prev.state !== 'running' && next.state === 'running' ? prev : next));

  useEffect(() => {
    if (!running) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const read = async () => {
      try {
        const next = await ok(client.GET('/admin/tenants/{tenantId}/bulk-operations/{operationId}', { params: { path: { tenantId, operationId } } }));
        if (!live) return;
        failures = 0;
        setReadError(undefined);
        accept(next);
        if (next.state !== 'running') return;
      } catch (err) {
        if (!live) return;
        // a refusal will not change by asking again (a wrong or foreign id, a key signed out); anything else may pass
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
          setRefused(err.status === 404 || err.status === 400 ? 'This operation was not found: it may belong to another tenant, or the link is wrong.' : errorMessage(err));
          return;
        }
        failures++;
        setReadError(`Its progress could not be read, so the counts below may be behind. ${errorMessage(err)} It goes on running on the server; reading again shortly.`);
      }
      timer = setTimeout(() => void read(), failures === 0 ? POLL_MS : Math.min(POLL_MS * 2 ** failures, MAX_BACKOFF_MS));
    };
    // a status handed in is fresh: read again after the usual pause (at once when asked to check again)
    timer = setTimeout(() => void read(), status && retry === 0 ? POLL_MS : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, tenantId, operationId, running, retry]);

  const { onRunning } = props;
  useEffect(() => onRunning?.(running), [onRunning, running]);

  // when Stop leaves the page because the operation ended, keyboard focus goes to this section, not to the top of the page
  useEffect(() => {
    if (!running && stopHadFocus.current && (document.activeElement === document.body || document.activeElement === null)) heading.current?.focus();
  }, [running]);

  const stop = async () => {
    if (stopping) return;
    setStopping(true);
    try {
      const final = await ok(client.DELETE('/admin/tenants/{tenantId}/bulk-operations/{operationId}', { params: { path: { tenantId, operationId } } }));
      accept(final);
      toasts.ok(final.state === 'cancelled' ? 'Stopped. Users already flagged stay flagged.' : `It had already ended: ${STATE_LABELS[final.state].text.toLowerCase()}.`);
      heading.current?.focus();
    } catch (err) {
      toasts.fail(`It was not stopped and may still be running. ${errorMessage(err)}`);
    } finally {
      setStopping(false);
    }
  };

  const label = status ? STATE_LABELS[status.state] : { text: 'Starting', badge: 'badge' };
  if (refused) {
    return (
      <section className="operation" aria-labelledby={titleId}>
        <h3 id={titleId} ref={heading} tabIndex={-1}>{props.title}</h3>
        <div className="notice bad" role="alert"><p>{refused}</p></div>
      </section>
    );
  }
  return (
    <section className="operation" aria-labelledby={titleId}>
      <h3 id={titleId} ref={heading} tabIndex={-1}>{props.title}</h3>
      <p role="status">{summary(status)}</p>
      {running ? <progress aria-labelledby={titleId} /> : null}
      <dl className="facts">
        <dt>State</dt>
        <dd><span className={label.badge}>{label.text}</span></dd>
        <dt>Users matched</dt>
        <dd>{status?.matched ?? 0}</dd>
        <dt>Flagged</dt>
        <dd>{status?.done ?? 0}</dd>
        <dt>Skipped</dt>
        <dd>{status?.skipped ?? 0}</dd>
        <dt>Started</dt>
        <dd>{status ? <time dateTime={status.startedAt}>{formatDateTime(status.startedAt)}</time> : '…'}</dd>
        {status?.finishedAt ? (
          <>
            <dt>Finished</dt>
            <dd><time dateTime={status.finishedAt}>{formatDateTime(status.finishedAt)}</time></dd>
          </>
        ) : null}
        {status ? (
          <>
            <dt>Workflow</dt>
            <dd>
              <a href={status.temporalUiUrl} target="_blank" rel="noopener noreferrer">
                View workflow<span className="visually-hidden"> {status.workflowId} in the Temporal Web UI (opens in a new tab)</span>
              </a>{' '}
              <code className="muted">{status.workflowId}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <p className="hint">Flagged users must choose a new password at their next sign-in. Skipped users already had a change pending.</p>
      {readError ? (
        <div className="notice bad" role="alert">
          <p>{readError}</p>
          <p><button type="button" className="small" onClick={() => setRetry((n) => n + 1)}>Check again</button></p>
        </div>
      ) : null}
      {running ? (
        <div className="actions">
          <button
            type="button"
            aria-disabled={stopping || undefined}
            onClick={() => void stop()}
            onFocus={() => (stopHadFocus.current = true)}
            onBlur={(e) => {
              // focus that moved somewhere on purpose; a blur with nowhere to go is the button leaving the page
              if (e.relatedTarget) stopHadFocus.current = false;
            }}
          >
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
