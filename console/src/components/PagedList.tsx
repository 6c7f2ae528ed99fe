import { useEffect, useState, type ReactNode } from 'react';
import { PageHeading } from './PageHeading';
import { SearchForm } from './SearchForm';
import { LoadError, useLoad } from './useLoad';

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list page of the admin API's paged collections: heading, search box, a table
 * of one page, and Previous/Next by cursor. `load` fetches one page; the pages
 * start over when `q` or `resetKey` changes.
 */
export function PagedList<T>(props: {
  heading: string;
  subtitle: string;
  search: { id: string; label: string; placeholder: string; q: string; onSearch: (term: string) => void };
  resetKey?: string;
  load: (cursor: string | undefined) => Promise<Paged<T>>;
  /** what the rows are, for the empty message and the table's caption ("users", "tenants") */
  noun: string;
  columns: string[];
  row: (item: T) => ReactNode;
  itemKey: (item: T) => string;
}) {
  const { q } = props.search;
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => setCursors([]), [q, props.resetKey]);
  const list = useLoad(() => props.load(cursor), [props.load, q, props.resetKey, cursor]);
  const caption = props.noun.charAt(0).toUpperCase() + props.noun.slice(1);
  return (
    <>
      <div className="page-head">
        <div>
          <PageHeading>{props.heading}</PageHeading>
          <p className="subtitle">{props.subtitle}</p>
        </div>
      </div>
      <SearchForm id={props.search.id} label={props.search.label} placeholder={props.search.placeholder} initial={q} onSearch={props.search.onSearch} />
      <div className="card" aria-busy={list.loading}>
        {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
        {list.data && list.data.items.length === 0 ? <p>No {props.noun}{q ? ` match “${q}”` : ' yet'}.</p> : null}
        {list.data && list.data.items.length > 0 ? (
          <table className="data">
            <caption className="visually-hidden">{caption}{q ? ` matching “${q}”` : ''}</caption>
            <thead>
              <tr>{props.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
            </thead>
            <tbody>
              {list.data.items.map((item) => <tr key={props.itemKey(item)}>{props.row(item)}</tr>)}
            </tbody>
          </table>
        ) : null}
        <Pager hasPrevious={cursors.length > 0} next={list.data?.nextCursor ?? null} onPrevious={() => setCursors((c) => c.slice(0, -1))} onNext={(n) => setCursors((c) => [...c, n])} />
      </div>
    </>
  );
}

export function Pager({ hasPrevious, next, onPrevious, onNext }: { hasPrevious: boolean; next: string | null; onPrevious: () => void; onNext: (cursor: string) => void }) {
  if (!hasPrevious && !next) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!hasPrevious} onClick={onPrevious}>Previous page</button>
      <button type="button" disabled={!next} onClick={() => next && onNext(next)}>Next page</button>
    </nav>
  );
}

/** `?limit=…&q=…&cursor=…` for a paged collection. */
export function pageQuery(limit: number, q: string, cursor: string | undefined): { limit: number; q?: string; cursor?: string } {
  return { limit, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) };
}
