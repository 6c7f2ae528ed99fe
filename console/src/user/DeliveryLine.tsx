import type { Tone } from '../delivery';

/** One line saying where a reset email stands ("Delivered 09:14"), marked by its tone; `live`: read out as it changes. */
export function DeliveryLine({ text, tone, live = false }: { text: string; tone: Tone; live?: boolean }) {
  return (
    <p className="delivery" data-tone={tone} aria-live={live ? 'polite' : undefined}>
      <span className="visually-hidden">Email: </span>
      {text}
    </p>
  );
}
