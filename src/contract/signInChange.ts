/** The forced change at sign-in: the workflow's input and result. */
import type { PolicyFailure } from './vocabulary';
import type { SignInChangeInput } from './workflowInputs';

// the input's zod schema lives in ./workflowInputs.ts: this file is imported by workflow code, which loads no zod
export type { SignInChangeInput };


export type SignInChangeResult = { ok: true } | PolicyFailure | { ok: false; code: 'invalid_token' };
