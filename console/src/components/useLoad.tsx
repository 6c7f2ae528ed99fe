import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/client';

/** Load data for a page; `error` is a sentence for the person, `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string | undefined; loading: boolean; reload: () => Promise<void> } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await run());
      setError(undefined);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (d) => live && (setData(d), setError(undefined), setLoading(false)),
      (err) => live && (setError(errorMessage(err)), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [run]);
  return { data, error, loading, reload };
}

export function LoadError({ error, retry }: { error: string; retry: () => void }) {
  return (
    <div className="notice bad" role="alert">
      <p>{error}</p>
      <p><button type="button" className="small" onClick={retry}>Try again</button></p>
    </div>
  );
}
