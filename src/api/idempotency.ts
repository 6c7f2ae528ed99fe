import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { problems } from './problems';

/**
 * An operation id for a request: random, or derived from the client's
 * `Idempotency-Key` header, so a retried request (after a timeout, say) joins
 * the workflow the first one started instead of starting a second one.
 */
export function operationId(req: Request, scope: string): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 200) {
    throw problems.invalidRequest('The Idempotency-Key header must be 1–200 characters.', [
      { field: 'Idempotency-Key', code: 'invalid_header', message: 'must be 1–200 characters' },
    ]);
  }
  const h = createHash('sha256').update(`${scope}\n${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // RFC 9562 version 5-style name-based UUID
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function operationIdOrRandom(req: Request, scope: string): string {
  return operationId(req, scope) ?? randomUUID();
}
