import { z } from 'zod';
import { tenantIdSchema } from '../contract/ids';
import { problems } from './problems';
import { instantSchema } from './schemas';

/**
 * Every list's cursor, in one place: what its sort key holds, each instant within the years every store
 * represents (1900–9999), so no cursor decodes to a value PostgreSQL refuses (year 0 answered 500 once).
 */
export const CURSORS = {
  /** users and password resets: newest first by creation, then id */
  createdAtId: z.object({ createdAt: instantSchema, id: z.uuid() }),
  /** tenants: by id */
  tenantId: z.object({ id: tenantIdSchema }),
  /** the audit log: by sequence number, newest first */
  auditSeq: z.object({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
} as const;

/** Opaque page cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string | undefined): z.infer<S> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw problems.invalidRequest('The cursor is not valid; use the nextCursor of a previous page.', [
      { field: 'cursor', code: 'invalid_cursor', message: 'not a cursor returned by this API' },
    ]);
  }
}

/** A page as api.md answers it: `{ items, nextCursor }`. */
export function pageBody<T, K>(page: { items: T[]; next: K | undefined }, cursorOf: (key: K) => unknown = (k) => k): { items: T[]; nextCursor: string | null } {
  return { items: page.items, nextCursor: page.next === undefined ? null : encodeCursor(cursorOf(page.next)) };
}
