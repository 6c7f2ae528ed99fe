import type { NextFunction, Request, Response } from 'express';
import { problems, type FieldError } from './problems';

/**
 * Requests are refused before any handler sees them when their shape is hostile:
 * a body that is not JSON (415; the end-user pages' HTML forms are handled before
 * this), or any string, in the body, the query string or the path, that holds a NUL
 * byte (PostgreSQL cannot store one) or is not well-formed Unicode (a lone surrogate).
 */

function hasBody(req: Request): boolean {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) return next(problems.unsupportedMediaType());
  next();
}

const MAX_DEPTH = 32;
/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badStrings(value: unknown, path: string, out: FieldError[], depth = 0): void {
  if (out.length >= 10 || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ field: path, code: 'invalid_characters', message: 'must not contain NUL characters' });
    else if (LONE_SURROGATE.test(value)) out.push({ field: path, code: 'invalid_characters', message: 'must be well-formed Unicode text' });
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => badStrings(v, path ? `${path}.${i}` : String(i), out, depth + 1));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const field = path ? `${path}.${k}` : k;
      badStrings(k, field, out, depth + 1);
      badStrings(v, field, out, depth + 1);
    }
  }
}

export function refuseHostileStrings(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  badStrings(req.body, '', errors);
  badStrings(req.query, '', errors);
  if (errors.length > 0) return next(problems.invalidRequest('The request holds characters that are not allowed.', errors));
  next();
}
