/**
 * Where a record that waits until `expiresAt` (a reset link, an approval) stands at `now`: a pending one past
 * its expiry is expired, even before its workflow's timer has recorded it. `src/store/stateAsOf.ts` is the
 * same rule in SQL, for lists filtered by state.
 */
export function stateAsOf<S extends string>(r: { state: S; expiresAt: Date }, now: Date): S | 'expired' {
  return r.state === 'pending' && r.expiresAt.getTime() <= now.getTime() ? 'expired' : r.state;
}
