/**
 * The SQL condition "the row's state as of `now` is `state`" for a table with `state` and `expires_at`
 * (password_resets, approvals): a pending row past its expiry counts as expired, as `src/domain/expiry.ts`
 * says; a null `state` matches every row. `state` and `now` are the query's parameter placeholders.
 */
export function stateAsOfCondition(state: string, now: string): string {
  return `(CASE ${state}::text
               WHEN 'pending' THEN state = 'pending' AND expires_at > ${now}
               WHEN 'expired' THEN state = 'expired' OR (state = 'pending' AND expires_at <= ${now})
               ELSE ${state}::text IS NULL OR state = ${state}::text
             END)`;
}
