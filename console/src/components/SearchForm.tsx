import { useEffect, useState, type FormEvent } from 'react';

/** A list page's search box: a labelled search field and its button; `onSearch` gets the trimmed term. */
export function SearchForm(props: { id: string; label: string; placeholder: string; initial: string; onSearch: (term: string) => void }) {
  const [value, setValue] = useState(props.initial);
  useEffect(() => setValue(props.initial), [props.initial]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSearch(value.trim());
  };
  return (
    <form role="search" onSubmit={submit} className="row">
      <label htmlFor={props.id} className="visually-hidden">{props.label}</label>
      <input id={props.id} type="search" placeholder={props.placeholder} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Search</button>
    </form>
  );
}
