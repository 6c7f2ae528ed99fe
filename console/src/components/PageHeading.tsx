import { useEffect, useRef, type ReactNode } from 'react';

/** The page's <h1>, focused when the page opens so keyboard and screen-reader users start at its top. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!document.querySelector('dialog[open]')) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
