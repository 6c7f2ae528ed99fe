import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { FAILURE_TYPES } from '../contract/failureTypes';

/** Validate a workflow input; a bad input fails the workflow at once instead of retrying a task forever. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`invalid workflow input: ${detail}`, FAILURE_TYPES.invalidInput);
  }
  return parsed.data;
}
