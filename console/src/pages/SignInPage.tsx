import { useState, type FormEvent } from 'react';
import { ApiError, createApiClient, errorMessage, ok } from '../api/client';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { homeOf } from '../home';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';

/** Sign in with an admin key: the platform key (ADMIN_API_KEY) or a tenant key. */
export function SignInPage() {
  const { signIn, endedBecause } = useSession();
  const { path } = useLocation();
  const [key, setKey] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const value = key.trim();
    if (!value) {
      setFieldError('Enter an admin key.');
      document.getElementById('admin-key')?.focus();
      return;
    }
    setBusy(true);
    try {
      const info = await ok(createApiClient(value).GET('/admin/key'));
      setFieldError(undefined);
      signIn(value, info);
      // stay on a deep link when one was opened; otherwise go to where this key lands
      if (path === '/' || path === '') navigate(homeOf(info), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setFieldError('This key is not valid. Check that you copied all of it.');
        document.getElementById('admin-key')?.focus();
      } else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="narrow" id="main">
      <div className="card">
        <PageHeading>Sign in to the resetflow console</PageHeading>
        <p className="subtitle">Use the platform admin key (<code>ADMIN_API_KEY</code>) or a tenant admin key.</p>
        {endedBecause ? <div className="notice warn" role="status">{endedBecause}</div> : null}
        {formError ? <div className="notice bad" role="alert">{formError}</div> : null}
        <form onSubmit={submit} noValidate>
          <Field
            id="admin-key"
            label="Admin key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            error={fieldError}
            hint="Kept in this browser tab only, and forgotten when you sign out or close the tab."
            autoFocus
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
