import { z } from 'zod';

/** Who caused an action: an admin key, the user themself, or the system (rotation, expiry). */
export const actorSchema = z.strictObject({
  type: z.enum(['admin', 'user', 'system']),
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'resetflow' };
