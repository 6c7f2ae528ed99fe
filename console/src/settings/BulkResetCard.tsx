import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage, ok } from '../api/client';
import type { Tenant } from '../api/types';
import { Checkbox, Field } from '../components/Field';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useToasts } from '../components/Toasts';
import { formatDateTime, LOCAL_TIME_ZONE } from '../format';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import { OperationProgress } from './OperationProgress';

type Who = 'all' | 'before';

/** "2025-03-01" → the start of that day in the browser's time zone, as ISO 8601; undefined when it is not a date. */
function startOfDay(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Path 3 for many users at once (POST /admin/tenants/{t}/force-password-reset):
 * everyone with a password, or those whose password was set before a date; a
 * confirmation that says what users will see; then the operation's live
 * progress with Stop. The operation id goes into the address (?bulk=…), so a
 * reload keeps showing it.
 */
export function BulkResetCard({ tenantId, tenant }: { tenantId: string; tenant: Tenant | undefined }) {
  const { client } = useSession();
  const toasts = useToasts();
  const { query } = useLocation();
  const operationId = query.get('bulk') ?? undefined;
  const [who, setWho] = useState<Who>('all');
  const [date, setDate] = useState('');
  const [revoke, setRevoke] = useState(false);
  const [dateError, setDateError] = useState<string>();
  const [otherError, setOtherError] = useState<string>();
  const [confirming, setConfirming] = useState<{ passwordSetBefore?: string }>();
  const [focusDate, setFocusDate] = useState(0);
  const [opRunning, setOpRunning] = useState(false);
  const titleId = useId();
  const radioName = useId();
  const dateId = useId();
  const runningId = useId();
  const closeConfirm = useCallback(() => setConfirming(undefined), []);
  const running = operationId !== undefined && opRunning;

  // after the dialog has closed (and given focus back to its opener), a date problem takes focus to the date
  useEffect(() => {
    if (focusDate > 0 && !confirming) document.getElementById(dateId)?.focus();
  }, [focusDate, confirming, dateId]);

  const review = (e: FormEvent) => {
    e.preventDefault();
    if (running) return;
    setOtherError(undefined);
    if (who === 'all') {
      setDateError(undefined);
      setConfirming({});
      return;
    }
    const passwordSetBefore = startOfDay(date);
    if (!passwordSetBefore) {
      setDateError('Choose a date: users whose password was set before it must choose a new one.');
      setFocusDate((n) => n + 1);
      return;
    }
    setDateError(undefined);
    setConfirming({ passwordSetBefore });
  };

  const start = async (passwordSetBefore: string | undefined) => {
    try {
      const started = await ok(client.POST('/admin/tenants/{tenantId}/force-password-reset', {
        params: { path: { tenantId } },
        body: { filter: passwordSetBefore ? { passwordSetBefore } : { all: true }, revokeSessions: revoke },
      }));
      navigate(`${api`/tenants/${tenantId}/settings`}?bulk=${encodeURIComponent(started.operationId)}`, { replace: true });
      toasts.ok('Bulk forced reset started. Its progress shows under “Latest bulk reset”.');
    } catch (err) {
      // a refused filter belongs on the form, not in the dialog
      if (err instanceof ApiError && err.errors.length > 0) {
        const onDate = err.forField('filter.passwordSetBefore') ?? err.forField('filter');
        if (onDate && who === 'before') {
          setDateError(onDate);
          setFocusDate((n) => n + 1);
        } else setOtherError(`Nothing was started. ${err.message} ${err.errors.map((p) => p.message).join(' ')}`);
        toasts.fail('The bulk forced reset was not started. Correct the form below.');
        return;
      }
      throw err;
    }
  };

  const tenantName = tenant ? tenant.name : tenantId;
  const before = confirming?.passwordSetBefore;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Force password reset for many users</h2>
      <p>
        Like <strong>Force password reset</strong> on a user, for many users at once: each keeps their current password for signing in, but must choose a new
        one right after their next successful sign-in. Use it after a suspected breach, or when the password policy changed and existing users should re-pick.
        Users who sign in only through single sign-on are never affected.
      </p>
      <form onSubmit={review} noValidate aria-label="Bulk forced reset">
        <fieldset>
          <legend>Which users</legend>
          <div className="check">
            <input type="radio" id={`${radioName}-all`} name={radioName} checked={who === 'all'} onChange={() => setWho('all')} />
            <div><label htmlFor={`${radioName}-all`} className="label">Everyone with a password</label></div>
          </div>
          <div className="check">
            <input type="radio" id={`${radioName}-before`} name={radioName} checked={who === 'before'} onChange={() => setWho('before')} aria-controls={who === 'before' ? dateId : undefined} />
            <div>
              <label htmlFor={`${radioName}-before`} className="label">Passwords set before a date</label>
              <p className="hint">For example, the day the password policy changed.</p>
            </div>
          </div>
          {who === 'before' ? (
            <div className="conditional">
              <Field
                id={dateId}
                label="Date"
                type="date"
                value={date}
                onChange={(e) => setDate(e.target.value)}
                error={dateError}
                hint={`Passwords set before the start of this day in your time zone (${LOCAL_TIME_ZONE}).`}
              />
            </div>
          ) : null}
        </fieldset>
        <Checkbox
          label="Also revoke all sessions"
          hint="Signs every affected user out on every device now. Leave it off to keep current sessions: the reset only affects their next sign-in."
          checked={revoke}
          onChange={setRevoke}
        />
        {otherError ? <div className="notice bad" role="alert">{otherError}</div> : null}
        <div className="actions">
          <button type="submit" className="danger" aria-disabled={running || undefined} aria-describedby={running ? runningId : undefined}>
            Force password reset…
          </button>
        </div>
        {running ? <p className="hint" id={runningId}>A bulk reset is running: wait for it to finish, or stop it.</p> : null}
      </form>
      {operationId ? <OperationProgress key={operationId} tenantId={tenantId} operationId={operationId} title="Latest bulk reset" onRunning={setOpRunning} /> : null}
      {confirming ? (
        <ConfirmDialog
          title="Force password reset for many users?"
          confirmLabel="Force reset"
          danger
          offerRevokeSessions={false}
          onClose={closeConfirm}
          onConfirm={() => start(confirming.passwordSetBefore)}
        >
          <p>
            <strong>{before ? `Every user of ${tenantName} whose password was set before ${formatDateTime(before)}` : `Every user of ${tenantName} who has a password`}</strong>{' '}
            keeps their current password for signing in, but must choose a new one that meets the tenant’s policy right after their next successful sign-in.
          </p>
          <p>
            {revoke
              ? 'All their sessions are revoked as well: they are signed out on every device now.'
              : 'They stay signed in where they are now.'}{' '}
            Users who must already change their password are skipped, and users who sign in only through single sign-on are not affected.
          </p>
          <p>You can stop it while it runs; users already flagged stay flagged.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
