/** Keyset pages: read one row more than asked, and the last row's key says where the next page starts. */
export interface Page<T, K> {
  items: T[];
  /** the sort key of the last item, when there is a next page */
  next: K | undefined;
}

export function keysetPage<R, T, K>(rows: readonly R[], limit: number, toItem: (row: R) => T, keyOf: (row: R) => K): Page<T, K> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toItem), next: rows.length > limit && last !== undefined ? keyOf(last) : undefined };
}

/** A LIKE pattern matching `search` anywhere, with its wildcards escaped; null for no search. */
export function containsPattern(search: string | undefined): string | null {
  return search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}
