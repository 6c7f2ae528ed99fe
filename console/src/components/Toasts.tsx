import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * Outcomes of actions, at the top of the page, until dismissed or replaced:
 * role="status" for what happened, role="alert" for what failed.
 */
export interface Toast {
  id: number;
  kind: 'ok' | 'bad';
  text: ReactNode;
}

interface ToastApi {
  toasts: Toast[];
  ok(text: ReactNode): void;
  fail(text: ReactNode): void;
  dismiss(id: number): void;
  clear(): void;
}

const ToastContext = createContext<ToastApi | undefined>(undefined);
let next = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((kind: Toast['kind'], text: ReactNode) => setToasts((t) => [{ id: next++, kind, text }, ...t].slice(0, 3)), []);
  const value = useMemo<ToastApi>(
    () => ({
      toasts,
      ok: (text) => push('ok', text),
      fail: (text) => push('bad', text),
      dismiss: (id) => setToasts((t) => t.filter((x) => x.id !== id)),
      clear: () => setToasts([]),
    }),
    [toasts, push],
  );
  return <ToastContext.Provider value={value}>{children}</ToastContext.Provider>;
}

export function useToasts(): ToastApi {
  const t = useContext(ToastContext);
  if (!t) throw new Error('useToasts outside ToastProvider');
  return t;
}

export function ToastList() {
  const { toasts, dismiss } = useToasts();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`notice ${t.kind}`} role={t.kind === 'ok' ? 'status' : 'alert'}>
          <div>{t.text}</div>
          <button type="button" className="small" onClick={() => dismiss(t.id)} aria-label="Dismiss message">
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
