import { useId, useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { Dialog } from '../components/Dialog';
import { Checkbox } from '../components/Field';

/**
 * "Are you sure?" for one action, with the option to revoke every session too
 * (unchecked: resets never sign anyone out unless asked). Errors stay in the
 * dialog, so the admin can retry or cancel knowing what happened.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  offerRevokeSessions: boolean;
  onConfirm: (revokeSessions: boolean) => Promise<void>;
  onClose: () => void;
}) {
  const [revoke, setRevoke] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const bodyId = useId();
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(revoke);
      props.onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={props.title}
      describedBy={bodyId}
      onClose={props.onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={busy}>
            {busy ? 'Working…' : props.confirmLabel}
          </button>
          <button type="button" onClick={props.onClose} data-autofocus>
            Cancel
          </button>
        </>
      }
    >
      <div id={bodyId}>{props.children}</div>
      {props.offerRevokeSessions ? (
        <Checkbox
          label="Also revoke all sessions"
          hint="Signs the user out on every device now. Leave it off to keep current sessions: the reset only affects future sign-ins."
          checked={revoke}
          onChange={setRevoke}
        />
      ) : null}
      {error ? <div className="notice bad" role="alert">{error}</div> : null}
    </Dialog>
  );
}
