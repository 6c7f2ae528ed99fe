import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage, ok } from '../api/client';
import type { BulkStatus, RotationSchedule } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { useToasts } from '../components/Toasts';
import { LoadError } from '../components/useLoad';
import { formatDateTime, formatInZone, LOCAL_TIME_ZONE } from '../format';
import { useSession } from '../session';
import { OperationProgress } from './OperationProgress';

type Loaded = { kind: 'loading' } | { kind: 'none' } | { kind: 'scheduled'; schedule: RotationSchedule } | { kind: 'error'; message: string };

const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

/**
 * Scheduled rotation (GET/PUT/DELETE /admin/tenants/{t}/password-rotation, a
 * Temporal Schedule): its state, next runs and last run; Pause/Resume (PUT with
 * `paused`), Run now (POST …/run, then the run's progress), and the schedule's
 * settings. A 404 on GET means the tenant has no schedule.
 */
export function RotationCard({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const toasts = useToasts();
  const params = { path: { tenantId } };
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  const [form, setForm] = useState({ cron: '0 3 1 * *', timezone: 'UTC', maxPasswordAgeDays: '365' });
  const [error, setError] = useState<ApiError | string>();
  const [busy, setBusy] = useState<'save' | 'pause' | 'off'>();
  const [run, setRun] = useState<{ operationId: string; initial?: BulkStatus | undefined }>();
  const [runRunning, setRunRunning] = useState(false);
  const [confirmRun, setConfirmRun] = useState(false);
  const titleId = useId();
  const runningId = useId();
  const zonesId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const closeConfirm = useCallback(() => setConfirmRun(false), []);

  const show = (schedule: RotationSchedule) => {
    setState({ kind: 'scheduled', schedule });
    setForm({ cron: schedule.cron, timezone: schedule.timezone, maxPasswordAgeDays: String(schedule.maxPasswordAgeDays) });
  };
  const load = async () => {
    setState({ kind: 'loading' });
    try {
      const schedule = await ok(client.GET('/admin/tenants/{tenantId}/password-rotation', { params }));
      show(schedule);
      setRun(schedule.lastRun ? { operationId: schedule.lastRun.operationId, initial: schedule.lastRun } : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setState({ kind: 'none' });
      else setState({ kind: 'error', message: errorMessage(err) });
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenantId, client]);

  // a refused save puts keyboard focus on the first field it names
  useEffect(() => {
    if (error instanceof ApiError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const nextRun = (s: RotationSchedule) => (s.paused ? ' It is paused: nothing runs until you resume it.' : s.nextRunTimes[0] ? ` Next run: ${formatDateTime(s.nextRunTimes[0])}.` : '');

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy('save');
    setError(undefined);
    const turningOn = state.kind !== 'scheduled';
    try {
      const schedule = await ok(client.PUT('/admin/tenants/{tenantId}/password-rotation', {
        params,
        body: { cron: form.cron.trim(), timezone: form.timezone.trim() || 'UTC', maxPasswordAgeDays: Number(form.maxPasswordAgeDays) },
      }));
      show(schedule);
      toasts.ok(`${turningOn ? 'Scheduled rotation is on. ' : ''}Rotation schedule saved.${nextRun(schedule)}`);
    } catch (err) {
      const fields = err instanceof ApiError && err.errors.length > 0;
      setError(fields ? (err as ApiError) : errorMessage(err));
      toasts.fail(`The rotation schedule was not saved. ${fields ? 'Correct the fields marked below.' : errorMessage(err)}`);
    } finally {
      setBusy(undefined);
    }
  };

  /** Pause or resume with the saved settings (not what the form holds unsaved). */
  const setPaused = async (schedule: RotationSchedule, paused: boolean) => {
    if (busy) return;
    setBusy('pause');
    try {
      const next = await ok(client.PUT('/admin/tenants/{tenantId}/password-rotation', { params, body: { cron: schedule.cron, timezone: schedule.timezone, maxPasswordAgeDays: schedule.maxPasswordAgeDays, paused } }));
      setState({ kind: 'scheduled', schedule: next });
      toasts.ok(paused ? 'Rotation paused. No scheduled runs happen until you resume it.' : `Rotation resumed.${nextRun(next)}`);
    } catch (err) {
      toasts.fail(`Rotation was not ${paused ? 'paused' : 'resumed'}. ${errorMessage(err)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const turnOff = async () => {
    if (busy) return;
    setBusy('off');
    try {
      await ok(client.DELETE('/admin/tenants/{tenantId}/password-rotation', { params }));
      setState({ kind: 'none' });
      setRun(undefined);
      setError(undefined);
      toasts.ok('Scheduled rotation is off. A run in progress finishes; no new runs start.');
      heading.current?.focus();
    } catch (err) {
      toasts.fail(`Rotation was not turned off. ${errorMessage(err)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const fieldError = (name: string) => (error instanceof ApiError ? error.forField(name) : undefined);
  const schedule = state.kind === 'scheduled' ? state.schedule : undefined;
  const running = run !== undefined && runRunning;

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>Scheduled password rotation</h2>
      <div className="notice warn">
        <p>
          <strong>Think twice.</strong> NIST SP 800-63B advises against forcing periodic password changes: people made to change on a timer choose weaker,
          predictable passwords, and a good password does not wear out. Turn rotation on only if a rule requires it; after a suspected breach, a one-off forced
          reset (below) is the better tool.
        </p>
      </div>
      {state.kind === 'loading' ? <p aria-live="polite">Loading…</p> : null}
      {state.kind === 'error' ? <LoadError error={state.message} retry={() => void load()} /> : null}
      {state.kind === 'none' ? <p><strong>Off.</strong> No rotation schedule.</p> : null}
      {schedule ? (
        <>
          <p>
            <span className={schedule.paused ? 'badge warn' : 'badge ok'}>{schedule.paused ? 'Paused' : 'On'}</span>{' '}
            Users whose password is older than {schedule.maxPasswordAgeDays} days must change it at their next sign-in.
            {schedule.paused ? ' Paused: scheduled runs are skipped until you resume it.' : null}
          </p>
          {!schedule.paused && schedule.nextRunTimes.length > 0 ? (
            <>
              <h3>Next runs</h3>
              <ul className="plain" aria-label="Next runs">
                {schedule.nextRunTimes.slice(0, 3).map((t) => {
                  const there = schedule.timezone !== LOCAL_TIME_ZONE ? formatInZone(t, schedule.timezone) : undefined;
                  return (
                    <li key={t}>
                      <time dateTime={t}>{formatDateTime(t)}</time>
                      {there ? <span className="muted"> ({there} {schedule.timezone})</span> : null}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
          <div className="actions">
            <button type="button" aria-disabled={busy ? true : undefined} onClick={() => void setPaused(schedule, !schedule.paused)}>
              {busy === 'pause' ? (schedule.paused ? 'Resuming…' : 'Pausing…') : schedule.paused ? 'Resume' : 'Pause'}
            </button>
            <button
              type="button"
              aria-disabled={running || undefined}
              aria-describedby={running ? runningId : undefined}
              onClick={() => !running && setConfirmRun(true)}
            >
              Run now
            </button>
          </div>
          {running ? <p className="hint" id={runningId}>A run is in progress: wait for it to finish, or stop it.</p> : null}
          {run ? (
            <OperationProgress key={run.operationId} tenantId={tenantId} operationId={run.operationId} initial={run.initial} title="Last run" onRunning={setRunRunning} />
          ) : (
            <p className="muted">It has not run yet.</p>
          )}
        </>
      ) : null}
      {state.kind === 'none' || schedule ? (
        <form ref={formRef} onSubmit={save} noValidate aria-label="Rotation schedule">
          <h3>{schedule ? 'Change the schedule' : 'Turn it on'}</h3>
          <Field label="Schedule (cron)" value={form.cron} onChange={(e) => setForm({ ...form, cron: e.target.value })} hint="Five fields: minute hour day-of-month month day-of-week. “0 3 1 * *” is 03:00 on the 1st of each month." error={fieldError('cron')} spellCheck={false} autoComplete="off" />
          <Field label="Time zone" value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} hint="An IANA name such as Europe/Paris; the schedule follows its daylight saving time." error={fieldError('timezone')} list={zonesId} autoComplete="off" spellCheck={false} />
          <datalist id={zonesId}>
            {TIME_ZONES.map((z) => <option key={z} value={z} />)}
          </datalist>
          <Field label="Maximum password age (days)" type="number" inputMode="numeric" min={1} max={3650} value={form.maxPasswordAgeDays} onChange={(e) => setForm({ ...form, maxPasswordAgeDays: e.target.value })} hint="A run flags users whose password is older than this and who have no change pending." error={fieldError('maxPasswordAgeDays')} />
          {typeof error === 'string' ? <div className="notice bad" role="alert">{error}</div> : null}
          <div className="actions">
            <button type="submit" className="primary" aria-disabled={busy ? true : undefined}>
              {busy === 'save' ? 'Saving…' : schedule ? 'Save schedule' : 'Turn on rotation'}
            </button>
            {schedule ? <button type="button" aria-disabled={busy ? true : undefined} onClick={() => void turnOff()}>{busy === 'off' ? 'Turning off…' : 'Turn off rotation'}</button> : null}
          </div>
        </form>
      ) : null}
      {confirmRun && schedule ? (
        <ConfirmDialog
          title="Run the rotation now?"
          confirmLabel="Run now"
          danger
          offerRevokeSessions={false}
          onClose={closeConfirm}
          onConfirm={async () => {
            const started = await ok(client.POST('/admin/tenants/{tenantId}/password-rotation/run', { params }));
            setRun({ operationId: started.operationId });
            toasts.ok('Rotation run started. Its progress shows under “Last run”.');
          }}
        >
          <p>
            Every user whose password is older than <strong>{schedule.maxPasswordAgeDays} days</strong> (the saved setting) and who has no change pending must
            choose a new password right after their next successful sign-in. Their current password and sessions keep working until then. Users who sign in only
            through single sign-on are not affected.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
