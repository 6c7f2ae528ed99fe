import { ApplicationFailure } from '@temporalio/activity';
import type { z } from 'zod';
import { FAILURE_TYPES } from '../contract/failureTypes';

/**
 * An activity's input, checked against its zod schema (src/contract/workflowInputs.ts):
 * the workflow's side of the boundary checks only the shape (src/workflows/guards.ts),
 * so what reaches the database is checked in full here. A bad input can never succeed:
 * it fails the activity for good, and the workflow with it.
 */
export function checkedInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`invalid activity input: ${detail}`, FAILURE_TYPES.invalidInput);
  }
  return parsed.data;
}
