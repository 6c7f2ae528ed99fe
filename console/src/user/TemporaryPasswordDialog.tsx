import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, errorMessage, ok } from '../api/client';
import type { PasswordCheck, Tenant, User } from '../api/types';
import { Dialog } from '../components/Dialog';
import { Checkbox, Field, Switch } from '../components/Field';
import { generatePassword, lengthProblems } from '../password';
import { useSession } from '../session';

type RuleState = 'met' | 'unmet' | 'pending' | 'later';
const STATE_TEXT: Record<RuleState, string> = { met: 'met', unmet: 'not met', pending: 'checking', later: 'checked when you save' };

/**
 * Path 2: type or generate a password, see the tenant's policy checked as you
 * type (length here; common passwords and personal information by the
 * server's dry run, POST …/password-check), choose the two toggles, set it.
 */
export function TemporaryPasswordDialog({ user, tenant, onClose, onDone }: {
  user: User;
  tenant: Tenant;
  onClose: () => void;
  onDone: (o: { mustReset: boolean; notify: boolean; revokeSessions: boolean; heldUntil?: string | undefined }) => Promise<void>;
}) {
  const { client } = useSession();
  const policy = tenant.settings.passwordPolicy;
  const [password, setPassword] = useState('');
  const [visible, setVisible] = useState(false);
  const [mustReset, setMustReset] = useState(true);
  const [notify, setNotify] = useState(true);
  const [revoke, setRevoke] = useState(false);
  const [check, setCheck] = useState<{ for: string; result?: PasswordCheck; error?: string }>();
  const [fieldError, setFieldError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const rulesId = useId();
  const adviceId = useId();
  const inputId = 'temporary-password';

  // the server's dry run, a moment after typing stops; only the newest answer counts
  useEffect(() => {
    if (!password) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      ok(client.POST('/admin/tenants/{tenantId}/users/{userId}/password-check', { params: { path: { tenantId: tenant.id, userId: user.id } }, body: { password } })).then(
        (result) => mine === seq.current && setCheck({ for: password, result }),
        (err) => mine === seq.current && setCheck({ for: password, error: errorMessage(err) }),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [password, client, tenant.id, user.id]);

  const length = lengthProblems(password, policy);
  const serverSays = (rule: string): RuleState => {
    if (!password) return 'pending';
    if (check?.for !== password || check.error) return check?.error && check.for === password ? 'later' : 'pending';
    return check.result!.violations.some((v) => v.rule === rule) ? 'unmet' : 'met';
  };
  const rules: { id: string; text: string; state: RuleState }[] = [
    { id: 'min', text: `At least ${policy.minLength} characters`, state: password ? (length.min ? 'met' : 'unmet') : 'pending' },
    { id: 'max', text: `At most ${policy.maxLength} characters`, state: password ? (length.max ? 'met' : 'unmet') : 'pending' },
    ...(policy.blockCommonPasswords ? [{ id: 'common', text: 'Not a common or easily guessed password', state: serverSays('common_password') }] : []),
    ...(policy.forbidPersonalInfo ? [{ id: 'personal', text: 'No name, email address or organisation name in it', state: serverSays('personal_info') }] : []),
    ...(policy.historyCount > 0 ? [{ id: 'history', text: `Not one of the user’s last ${policy.historyCount} passwords`, state: 'later' as const }] : []),
  ];
  const failing = rules.filter((r) => r.state === 'unmet');

  const submit = async () => {
    setFormError(undefined);
    if (!password) return fail('Enter a password or generate one.');
    if (failing.length > 0) return fail(`The password does not meet the policy: ${failing.map((r) => r.text.toLowerCase()).join('; ')}.`);
    setBusy(true);
    try {
      const r = await ok(client.POST('/admin/tenants/{tenantId}/users/{userId}/temporary-password', {
        params: { path: { tenantId: tenant.id, userId: user.id } },
        body: { password, mustResetOnNextSignIn: mustReset, notifyUser: notify, revokeSessions: revoke },
      }));
      onClose();
      await onDone({ mustReset, notify, revokeSessions: revoke, heldUntil: 'approvalId' in r ? r.expiresAt : undefined });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'password_policy') return fail(err.forField('password') ?? err.message);
      setFormError(`The password was not set. ${errorMessage(err)}`);
    }
  };
  const fail = (message: string) => {
    setFieldError(message);
    document.getElementById(inputId)?.focus();
  };

  return (
    <Dialog
      title="Set temporary password"
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Setting…' : 'Set temporary password'}</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </>
      }
    >
      <p>For <strong>{user.email}</strong>. Their current password stops working at once.</p>
      <Field
        id={inputId}
        label="Temporary password"
        type={visible ? 'text' : 'password'}
        autoComplete="new-password"
        spellCheck={false}
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          setFieldError(undefined);
        }}
        error={fieldError}
        describedBy={rulesId}
        autoFocus
        after={
          <>
            <button type="button" onClick={() => setVisible((v) => !v)} aria-pressed={visible}>
              {visible ? 'Hide' : 'Show'}
            </button>
            <button
              type="button"
              onClick={() => {
                setPassword(generatePassword(policy));
                setVisible(true);
                setFieldError(undefined);
              }}
            >
              Generate
            </button>
          </>
        }
      />
      <div id={rulesId}>
        <p className="hint">Tenant password policy:</p>
        <ol className="rules" aria-live="polite">
          {rules.map((r) => (
            <li key={r.id} data-state={r.state}>
              {r.text} <span className="visually-hidden">({STATE_TEXT[r.state]})</span>
              {r.state === 'later' ? <span className="muted"> — checked when you save</span> : null}
            </li>
          ))}
        </ol>
        {check?.error && check.for === password ? <p className="hint">The policy could not be checked just now ({check.error}); it is checked again when you save.</p> : null}
      </div>
      <Switch
        label="Password must be reset on next sign-in"
        hint="Recommended: the user chooses their own password right after signing in with this one."
        checked={mustReset}
        onChange={setMustReset}
      />
      <Switch
        label="Notify the user via email"
        hint="Sends “your administrator set a temporary password”. The email never contains the password."
        checked={notify}
        onChange={setNotify}
      />
      <Checkbox label="Also revoke all sessions" hint="Signs the user out on every device now." checked={revoke} onChange={setRevoke} />
      <div className="notice info" id={adviceId}>
        <p>
          Share the password over a secure channel: a password manager, in person or a phone call. Not by email, especially when email is the problem you are
          working around.
        </p>
      </div>
      {formError ? <div className="notice bad" role="alert">{formError}</div> : null}
    </Dialog>
  );
}
