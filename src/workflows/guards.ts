/**
 * Shape checks for what reaches a workflow: its input and its update and signal
 * arguments. The zod schemas of src/contract/workflowInputs.ts are the authority: the
 * API checks each input against them before it starts or updates a workflow, and each
 * activity checks what it receives. Inside the sandbox these checks stand in for them
 * at no cost: the SDK evaluates the bundle's modules afresh for every workflow, and
 * zod's schemas cost about 14 ms of CPU per workflow run (docs/performance.md).
 * A value of the wrong shape fails the workflow at once (non-retryable), or is refused
 * by the update's validator, instead of retrying a workflow task forever.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { SEALED_PATTERN, TENANT_ID_PATTERN } from '../contract/patterns';

export type Check = (value: unknown) => boolean;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const is = {
  string: ((v) => typeof v === 'string') as Check,
  boolean: ((v) => typeof v === 'boolean') as Check,
  tenantId: ((v) => typeof v === 'string' && TENANT_ID_PATTERN.test(v)) as Check,
  uuid: ((v) => typeof v === 'string' && UUID.test(v)) as Check,
  instant: ((v) => typeof v === 'string' && ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v))) as Check,
  sealed: ((v) => typeof v === 'string' && SEALED_PATTERN.test(v)) as Check,
  count: ((v) => Number.isInteger(v) && (v as number) >= 0) as Check,
  oneOf: (...values: readonly string[]): Check => (v) => typeof v === 'string' && values.includes(v),
  optional: (check: Check): Check => (v) => v === undefined || check(v),
  object: (shape: Record<string, Check>): Check => (v) => problem(v, shape) === undefined,
};

/** An actor of an audit event: `{ type, id, name? }`. */
export const actor = is.object({ type: is.oneOf('admin', 'user', 'system'), id: is.string, name: is.optional(is.string) });

/** What is wrong with `value` as an object of `shape` (unknown fields included), or undefined. */
function problem(value: unknown, shape: Record<string, Check>): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return '(input): not an object';
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!(key in shape)) return `${key}: not expected`;
  for (const [key, check] of Object.entries(shape)) if (!check(record[key])) return `${key}: not valid`;
  return undefined;
}

/** The input, checked; a bad one fails the workflow at once. */
export function expectInput<T>(raw: T, shape: Record<string, Check>): T {
  const wrong = problem(raw, shape);
  if (wrong) throw ApplicationFailure.nonRetryable(`invalid workflow input: ${wrong}`, FAILURE_TYPES.invalidInput);
  return raw;
}

/** An update's validator: a refusal the caller sees, before anything is recorded in the history. */
export function validator(shape: Record<string, Check>): (args: unknown) => void {
  return (args) => {
    const wrong = problem(args, shape);
    if (wrong) throw new TypeError(`invalid update argument: ${wrong}`);
  };
}

/** A signal's argument of the right shape, or undefined (a signal cannot be refused). */
export function ofShape<T>(value: unknown, shape: Record<string, Check>): T | undefined {
  return problem(value, shape) === undefined ? (value as T) : undefined;
}
