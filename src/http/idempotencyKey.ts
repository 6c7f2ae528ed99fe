import type { Request } from 'express';
import { problems } from './problems';

/** The client's `Idempotency-Key` header, if it sent one: 1–200 characters. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 200) {
    throw problems.invalidRequest('The Idempotency-Key header must be 1–200 characters.', [
      { field: 'Idempotency-Key', code: 'invalid_header', message: 'must be 1–200 characters' },
    ]);
  }
  return key;
}
