import { Fragment, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  id: string;
  label: string;
  /** set when the item cannot be used: shown under it and read as its description */
  disabledReason?: ReactNode;
  onSelect: () => void;
  separatorBefore?: boolean;
}

/**
 * The WAI-ARIA menu button pattern: Enter, Space or ArrowDown open it, arrows,
 * Home and End move, Escape closes and returns focus to the button. Disabled
 * items stay focusable (aria-disabled) so their reason can be read.
 */
export function MenuButton({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const wrap = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const openAt = (index: number) => {
    setActive(index);
    setOpen(true);
  };
  const close = (focusButton = true) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };
  const choose = (item: MenuItem) => {
    if (item.disabledReason) return;
    close();
    item.onSelect();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const last = items.length - 1;
    const moves: Record<string, number> = { ArrowDown: active === last ? 0 : active + 1, ArrowUp: active === 0 ? last : active - 1, Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      setActive(moves[e.key]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div className="menu-wrap" ref={wrap}>
      <button
        ref={button}
        type="button"
        className="primary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close() : openAt(0))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            openAt(0);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            openAt(items.length - 1);
          }
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div role="menu" id={menuId} aria-label={label} onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <Fragment key={item.id}>
              {item.separatorBefore ? <div role="separator" /> : null}
              <button
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                aria-disabled={item.disabledReason ? true : undefined}
                aria-labelledby={`${menuId}-${item.id}`}
                aria-describedby={item.disabledReason ? `${menuId}-${item.id}-why` : undefined}
                onClick={() => choose(item)}
                onMouseEnter={() => setActive(i)}
              >
                <span id={`${menuId}-${item.id}`}>{item.label}</span>
                {item.disabledReason ? <span className="why" id={`${menuId}-${item.id}-why`}>{item.disabledReason}</span> : null}
              </button>
            </Fragment>
          ))}
        </div>
      ) : null}
    </div>
  );
}
