import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { Pager, type Paged } from './PagedList';
import { LoadError, useLoad } from './useLoad';
import { useUserEmails } from './useUserEmails';

/**
 * One titled card of a page that lists several views of a tenant's paged collection (the Resets and Approvals
 * pages): heading with a Refresh button, a hint, the table of one page with each row's user named by email, and
 * Previous/Next by cursor. `load` fetches one page; the pages start over when `reloadKey` changes.
 */
export function PagedSection<T>(props: {
  tenantId: string;
  id: string;
  title: string;
  hint?: string;
  empty: string;
  reloadKey: string;
  load: (cursor: string | undefined) => Promise<Paged<T>>;
  columns: string[];
  itemKey: (item: T) => string;
  userIdOf: (item: T) => string;
  /** the item's `<tr>`, given its user's email when known */
  row: (item: T, email: string | undefined) => ReactNode;
}) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => setCursors([]), [props.reloadKey]);
  const list = useLoad(() => props.load(cursor), [props.tenantId, props.reloadKey, cursor]);
  const items = list.data?.items ?? [];
  const emails = useUserEmails(props.tenantId, items.map(props.userIdOf));
  const headingId = `${props.id}-title`;
  return (
    <section className="card" aria-labelledby={headingId} aria-busy={list.loading}>
      <div className="row">
        <h2 id={headingId}>{props.title}</h2>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => void list.reload()}>Refresh</button>
      </div>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data && items.length === 0 ? <p>{props.empty}</p> : null}
      {items.length > 0 ? (
        <table className="data">
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>{props.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
          </thead>
          <tbody>
            {items.map((item) => <Fragment key={props.itemKey(item)}>{props.row(item, emails.get(props.userIdOf(item)))}</Fragment>)}
          </tbody>
        </table>
      ) : null}
      <Pager hasPrevious={cursors.length > 0} next={list.data?.nextCursor ?? null} onPrevious={() => setCursors((c) => c.slice(0, -1))} onNext={(n) => setCursors((c) => [...c, n])} />
    </section>
  );
}
