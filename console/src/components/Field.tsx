import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled input with its hint and error tied to it (aria-describedby, aria-invalid). */
export function Field({
  label, hint, error, id, describedBy, after, ...input
}: { label: string; hint?: ReactNode; error?: string | undefined; describedBy?: string; after?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const described = [hint ? hintId : '', error ? errorId : '', describedBy ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <div className="input-row">
        <input id={inputId} aria-describedby={described} aria-invalid={error ? true : undefined} {...input} />
        {after}
      </div>
      {hint ? <p className="hint" id={hintId}>{hint}</p> : null}
      {error ? <p className="field-error" id={errorId}>{error}</p> : null}
    </div>
  );
}

/** An on/off setting that takes effect on submit: a checkbox with role="switch". */
export function Switch({ label, hint, checked, onChange }: { label: string; hint?: ReactNode; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="switch">
      <input type="checkbox" role="switch" id={id} checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      </div>
    </div>
  );
}

export function Checkbox({ label, hint, checked, onChange }: { label: string; hint?: ReactNode; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="check">
      <input type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label htmlFor={id} className="label">{label}</label>
        {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      </div>
    </div>
  );
}
