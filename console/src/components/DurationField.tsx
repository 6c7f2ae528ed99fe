import type { ReactNode } from 'react';
import { Field } from './Field';

const UNITS = [
  { id: 'days', seconds: 86400 },
  { id: 'hours', seconds: 3600 },
  { id: 'minutes', seconds: 60 },
  { id: 'seconds', seconds: 1 },
] as const;
type Unit = (typeof UNITS)[number]['id'];

/** A duration as the field edits it: an amount (as typed) in a unit. */
export interface Duration {
  amount: string;
  unit: Unit;
}

/** Seconds in the largest unit that divides them exactly (86400 → 1 day, 90 → 90 seconds). */
export function splitDuration(seconds: number): Duration {
  const unit = UNITS.find((u) => seconds % u.seconds === 0)!;
  return { amount: String(seconds / unit.seconds), unit: unit.id };
}

/** The duration in seconds, as the API takes it (NaN when the amount is not a number: the API says why). */
export function durationSeconds(d: Duration): number {
  return Number(d.amount) * UNITS.find((u) => u.id === d.unit)!.seconds;
}

/** A number field with a unit picker beside it (days, hours, minutes, seconds). */
export function DurationField({
  label, unitLabel, unitId, value, onChange, error, hint,
}: {
  label: string;
  /** the picker's accessible name */
  unitLabel: string;
  unitId: string;
  value: Duration;
  onChange: (d: Duration) => void;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <Field
      label={label}
      type="number"
      inputMode="numeric"
      min={1}
      value={value.amount}
      onChange={(e) => onChange({ ...value, amount: e.target.value })}
      error={error}
      hint={hint}
      after={
        <>
          <label htmlFor={unitId} className="visually-hidden">{unitLabel}</label>
          <select id={unitId} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as Unit })}>
            {UNITS.map((u) => <option key={u.id} value={u.id}>{u.id}</option>)}
          </select>
        </>
      }
    />
  );
}
