/**
 * The ids of workflows and schedules. Workflow ids carry ids only (never an email address or a
 * name): they show in the Temporal Web UI.
 *
 * Imported by workflows, so it imports nothing: every module a workflow imports is evaluated
 * again for each workflow the worker runs or replays (the SDK's reusable V8 context gives each
 * workflow its own module cache) and stays in memory while the workflow is cached. zod in the
 * workflow bundle cost 0.7 MiB and the schema set-up for every workflow
 * (test/workflowBundle.test.ts keeps it out).
 */
export const workflowIds = {
  resetEmail: (t: string, resetId: string) => `password-reset-email/${t}/${resetId}`,
  temporaryPassword: (t: string, userId: string, operationId: string) => `temporary-password/${t}/${userId}/${operationId}`,
  forceReset: (t: string, userId: string, operationId: string) => `force-password-reset/${t}/${userId}/${operationId}`,
  signInChange: (t: string, userId: string, changeTokenId: string) => `password-change/${t}/${userId}/${changeTokenId}`,
  /** a rotation run started through the API; scheduled runs get the schedule's id plus a timestamp */
  rotationRun: (t: string, operationId: string) => `password-rotation/${t}/${operationId}`,
  bulkForceReset: (t: string, operationId: string) => `bulk-force-reset/${t}/${operationId}`,
  userImport: (t: string, importId: string) => `user-import/${t}/${importId}`,
  /** a reset held for a second admin (the action it applies on approval runs under its own path's id, with the approval's id) */
  approval: (t: string, approvalId: string) => `approval/${t}/${approvalId}`,
  /** the "your password was changed" notice after a password the user chose; `sourceId`: the reset or change token that chose it */
  passwordChangedNotice: (t: string, userId: string, sourceId: string) => `password-changed-notice/${t}/${userId}/${sourceId}`,
  /** one delivery of one event to one endpoint; a manual retry (generation n > 0) runs as `…/retry-n` */
  webhookDelivery: (deliveryId: string, generation: number) => `webhook-delivery-${deliveryId}${generation > 0 ? `/retry-${generation}` : ''}`,
};

export const rotationScheduleId = (t: string) => `password-rotation/${t}`;
