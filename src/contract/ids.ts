/**
 * The shapes of ids, and the ids of workflows and schedules. Workflow ids carry
 * ids only (never an email address or a name): they show in the Temporal Web UI.
 */
import { z } from 'zod';

import { TENANT_ID_PATTERN } from './patterns';

export { TENANT_ID_PATTERN };
export const tenantIdSchema = z.string().regex(TENANT_ID_PATTERN, 'must be a slug: lowercase letters, digits and dashes, 2–63 characters');

/** User, session, reset, operation and key ids. */
export const uuidSchema = z.uuid({ error: 'must be a UUID' });

export const workflowIds = {
  resetEmail: (t: string, resetId: string) => `password-reset-email/${t}/${resetId}`,
  temporaryPassword: (t: string, userId: string, operationId: string) => `temporary-password/${t}/${userId}/${operationId}`,
  forceReset: (t: string, userId: string, operationId: string) => `force-password-reset/${t}/${userId}/${operationId}`,
  signInChange: (t: string, userId: string, changeTokenId: string) => `password-change/${t}/${userId}/${changeTokenId}`,
  /** a rotation run started through the API; scheduled runs get the schedule's id plus a timestamp */
  rotationRun: (t: string, operationId: string) => `password-rotation/${t}/${operationId}`,
  bulkForceReset: (t: string, operationId: string) => `bulk-force-reset/${t}/${operationId}`,
};

export const rotationScheduleId = (t: string) => `password-rotation/${t}`;
