/** `ApplicationFailure` types that activities raise and workflows (or their callers) look for. */
export const FAILURE_TYPES = {
  /** the mail provider refused the recipient for good: retrying cannot help */
  mailRejected: 'MailRejected',
  /** a workflow input failed its schema: the workflow fails at once instead of retrying a task forever */
  invalidInput: 'InvalidInput',
  /** a sealed value does not open with this worker's keys: an operator must fix SECRETS_KEY */
  sealError: 'SealError',
  /** the user a step works on no longer exists */
  userNotFound: 'UserNotFound',
} as const;
