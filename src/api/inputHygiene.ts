import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { problems, type FieldError } from './problems';

/**
 * Requests are refused before any handler sees them when their shape is hostile:
 * a body that is not JSON (415; the end-user pages' HTML forms are handled before
 * this), a body or query string that is not valid UTF-8, or any string, in the body
 * or the query string, that holds a NUL byte (PostgreSQL cannot store one) or is
 * not well-formed Unicode (a lone surrogate).
 */

function hasBody(req: Request): boolean {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

/** Routes that read their body as a stream of another media type (the route checks it): a user import's NDJSON. */
const STREAMED_BODY_ROUTES = [{ method: 'POST', path: /^\/admin\/tenants\/[^/]+\/user-imports\/?$/ }];

/** A route that reads its own body as a stream: neither checked as JSON nor parsed here (its route authenticates first). */
export function isStreamedBodyRoute(req: Request): boolean {
  return STREAMED_BODY_ROUTES.some((r) => r.method === req.method && r.path.test(req.path));
}

export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (isStreamedBodyRoute(req)) return next();
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) return next(problems.unsupportedMediaType());
  next();
}

/** body-parser's `verify`: bytes that are not UTF-8 are refused, not decoded into U+FFFD. */
export function utf8Only(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw Object.assign(new Error('the request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
}

const MAX_DEPTH = 32;
/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text a form or a JSON field may carry: no NUL, well-formed. */
export function isCleanText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** A form field: bounded, clean text (the end-user pages' forms). */
export const formText = (max: number) => z.string().max(max).refine(isCleanText, 'must not contain NUL or ill-formed characters');

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

/** Every percent-encoded part of the query string decodes to UTF-8 (`?q=%ff` is refused, not read as U+FFFD). */
function queryProblem(url: string): FieldError | undefined {
  const query = url.split('?')[1];
  if (!query) return undefined;
  for (const pair of query.split('&')) {
    for (const part of pair.split('=')) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return { field: pair.split('=')[0] ?? 'query', code: 'invalid_encoding', message: 'is not valid percent-encoded UTF-8' };
      }
    }
  }
  return undefined;
}

/** For every request: the query string. */
export function refuseHostileQuery(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  const encoding = queryProblem(req.originalUrl);
  if (encoding) errors.push(encoding);
  else badStrings(req.query, '', errors);
  if (errors.length > 0) return next(problems.invalidRequest('The query string holds characters that are not allowed.', errors));
  next();
}

/** For JSON routes, once the body is parsed. */
export function refuseHostileBody(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  badStrings(req.body, '', errors);
  if (errors.length > 0) return next(problems.invalidRequest('The request holds characters that are not allowed.', errors));
  next();
}
