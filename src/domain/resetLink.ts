import type { ResetState } from '../contract/vocabulary';
import { stateAsOf } from './expiry';

/**
 * Where a reset link stands at `now`: a pending link past its expiry is expired,
 * even before its workflow's timer has recorded it.
 */
export function effectiveResetState(reset: { state: ResetState; expiresAt: Date }, now: Date): ResetState {
  return stateAsOf(reset, now);
}
