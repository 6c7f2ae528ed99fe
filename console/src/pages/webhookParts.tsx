import { useState, type ReactNode } from 'react';

/** A secret shown once: in a field to copy, with a button that copies it, until the admin says it is kept. */
export function SecretOnce({ title, secret, onDone, children }: { title: string; secret: string; onDone: () => void; children?: ReactNode }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="card notice" aria-live="polite">
      <h2>{title}</h2>
      <p>Shown once: resetflow keeps it sealed and never shows it again. Verify each request’s <code>webhook-signature</code> with it.</p>
      <p><input aria-label="Signing secret" readOnly value={secret} className="secret" onFocus={(e) => e.target.select()} size={60} /></p>
      {children}
      <p>
        <button type="button" className="small" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>{' '}
        <button type="button" className="small" onClick={onDone}>I have kept it</button>
      </p>
    </section>
  );
}

/** A delivery's state in words. */
export const DELIVERY_STATE: Record<string, string> = { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' };
