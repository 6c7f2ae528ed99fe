import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus,
 * closes it on Escape and hides the rest of the page from assistive
 * technology. It opens with focus on the element marked data-autofocus (else the
 * first focusable one); focus returns to where it was (the Actions button) on close.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
  footer: ReactNode;
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) {
      dialog.showModal();
      // React's autoFocus fires before the dialog is open, where nothing can take focus; this is the one that counts
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, [onClose]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} aria-describedby={props.describedBy}>
      <form
        method="dialog"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit(e);
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <div className="actions">{props.footer}</div>
      </form>
    </dialog>
  );
}
