import type { z } from 'zod';
import { problems } from './problems';

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
