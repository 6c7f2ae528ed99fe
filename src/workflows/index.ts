// The workflow bundle's entry point: every workflow the worker runs.
export { passwordResetEmailWorkflow } from './passwordResetEmail';
export { temporaryPasswordWorkflow } from './temporaryPassword';
export { forcePasswordResetWorkflow } from './forcePasswordReset';
export { signInPasswordChangeWorkflow } from './signInPasswordChange';
export { bulkForceResetWorkflow } from './bulkForceReset';
export { userImportWorkflow } from './userImport';
export { approvalWorkflow } from './approval';
export { passwordChangedNoticeWorkflow } from './passwordChangedNotice';
export { webhookDeliveryWorkflow } from './webhookDelivery';
