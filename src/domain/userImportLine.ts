import { z } from 'zod';
import { localeSchema } from '../contract/vocabulary';
import { displayTextProblem } from './displayText';

/**
 * One line of a user import (api.md): `{ email, displayName?, passwordHash?, privileged?,
 * locale?, federatedIdentities?, externalId? }`, with the bounds of POST users. A user needs
 * a way to sign in: a password hash, a federated identity, or both.
 */
const shown = (max: number) =>
  z.string().trim().min(1).max(max).superRefine((s, ctx) => {
    const problem = displayTextProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const importLineSchema = z
  .strictObject({
    email: z.email().max(254),
    displayName: shown(200).nullable().optional(),
    passwordHash: z.string().min(1).max(1024).optional(),
    privileged: z.boolean().optional(),
    locale: localeSchema.nullable().optional(),
    federatedIdentities: z.array(z.strictObject({ provider: shown(100), subject: z.string().trim().min(1).max(255) })).max(20).optional(),
    externalId: z.string().min(1).max(255).optional(),
  })
  .refine((l) => l.passwordHash !== undefined || (l.federatedIdentities?.length ?? 0) > 0, {
    message: 'a user needs a passwordHash or a federated identity',
    path: ['passwordHash'],
  });

export type ImportLine = z.infer<typeof importLineSchema>;

/** The longest line staged as text; a longer one is the line error invalid_line. */
export const MAX_IMPORT_LINE_BYTES = 64 * 1024;
/** api.md: up to 100 MiB a file. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

/** The email of a line that is JSON with a string `email`, lower-cased (for duplicates in the file), else null. */
export function lineEmail(body: string): string | null {
  try {
    const v: unknown = JSON.parse(body);
    if (v && typeof v === 'object' && typeof (v as { email?: unknown }).email === 'string') {
      const email = (v as { email: string }).email;
      return email.length <= 254 ? email.toLowerCase() : null;
    }
  } catch {
    // not JSON: reported when the line is imported
  }
  return null;
}
