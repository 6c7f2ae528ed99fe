import { createHash } from 'node:crypto';

/**
 * The operation id of a request that carries an `Idempotency-Key`: derived from
 * the key and what it acts on, so a retried request (after a timeout, say) joins
 * the workflow the first one started instead of starting a second one.
 */
export function operationIdFor(scope: string, key: string): string {
  const h = createHash('sha256').update(`${scope}\n${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // RFC 9562 version 5-style name-based UUID
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
