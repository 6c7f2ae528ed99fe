import type { ResetState } from '../contract/vocabulary';

/**
 * Where a reset link stands at `now`: a pending link past its expiry is expired,
 * even before its workflow's timer has recorded it.
 */
export function effectiveResetState(reset: { state: ResetState; expiresAt: Date }, now: Date): ResetState {
  return reset.state === 'pending' && reset.expiresAt <= now ? 'expired' : reset.state;
}
