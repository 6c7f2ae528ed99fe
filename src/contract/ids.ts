/**
 * The shapes of ids, checked at every boundary. The ids of workflows and schedules are in
 * `workflowIds.ts`, which workflows import: it must not pull zod into the workflow bundle.
 */
import { z } from 'zod';

import { TENANT_ID_PATTERN } from './patterns';

export { TENANT_ID_PATTERN };
export const tenantIdSchema = z.string().regex(TENANT_ID_PATTERN, 'must be a slug: lowercase letters, digits and dashes, 2–63 characters');

/** User, session, reset, operation and key ids. */
export const uuidSchema = z.uuid({ error: 'must be a UUID' });
