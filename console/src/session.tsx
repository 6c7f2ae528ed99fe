import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from './api/client';
import type { AdminKey } from './api/types';

/**
 * The admin key lives in sessionStorage: gone when the tab closes or on sign
 * out, never in a URL, a cookie or a log. The strict Content-Security-Policy
 * (scripts from this origin only) is what keeps other code from reading it.
 */
const KEY = 'resetflow.console.key';
const INFO = 'resetflow.console.keyInfo';

interface SessionValue {
  key: string | undefined;
  info: AdminKey | undefined;
  client: ApiClient;
  /** why the last session ended, shown on the sign-in page */
  endedBecause: string | undefined;
  signIn(key: string, info: AdminKey): void;
  signOut(reason?: string): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

function read<T>(name: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(name);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [key, setKey] = useState<string | undefined>(() => read<string>(KEY));
  const [info, setInfo] = useState<AdminKey | undefined>(() => read<AdminKey>(INFO));
  const [endedBecause, setEndedBecause] = useState<string>();

  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(INFO);
    setKey(undefined);
    setInfo(undefined);
    setEndedBecause(reason);
  }, []);

  const signIn = useCallback((k: string, i: AdminKey) => {
    sessionStorage.setItem(KEY, JSON.stringify(k));
    sessionStorage.setItem(INFO, JSON.stringify(i));
    setKey(k);
    setInfo(i);
    setEndedBecause(undefined);
  }, []);

  const client = useMemo(
    () => createApiClient(key, () => signOut('The admin key was refused (revoked or mistyped). Sign in again.')),
    [key, signOut],
  );
  const value = useMemo(() => ({ key, info, client, endedBecause, signIn, signOut }), [key, info, client, endedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
