import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { page } from './pages/layout';
import { problems, sendProblem } from './problems';
import { html } from '../html';

/**
 * Serves the built admin console (`npm run build` writes it to dist/console):
 * content-hashed files under /console/assets are cached for a year, the shared
 * stylesheet is revalidated, and every other GET under /console answers with
 * index.html, whose script routes on the client. The console talks to the
 * public admin API only; this router adds no data of its own.
 */
export function consoleRouter(dir: string | undefined): express.Router {
  const router = express.Router();
  const indexFile = dir ? path.join(dir, 'index.html') : undefined;
  const built = indexFile !== undefined && fs.existsSync(indexFile);

  // (Express matches /console and /console/ alike; only the bare one redirects)
  router.get('/console', (req, res, next) => (req.originalUrl.split('?')[0] === '/console' ? res.redirect(301, '/console/') : next()));
  router.get('/console/email-preview.html', emailPreviewFrame);
  if (!built) {
    router.get('/console/{*rest}', (_req, res) => notBuilt(res));
    return router;
  }
  router.use(
    '/console/assets',
    express.static(path.join(dir!, 'assets'), {
      index: false,
      // set outright: the app's default (no-store) is already on the response
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  // a missing asset is a 404, not the app's page
  router.use('/console/assets', (_req, res) => sendProblem(res, problems.notFound('This file')));
  router.use(
    '/console',
    express.static(dir!, {
      index: false, redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  const index = fs.readFileSync(indexFile!, 'utf8');
  router.get('/console/{*rest}', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(index);
  });
  return router;
}

/**
 * The frame the console's Branding and emails page shows an email's HTML in: a document of its own (sandboxed by
 * the console: an opaque origin, no access to the console), with a policy of its own. An email's styles are inline
 * (as mail clients need) and its logo is an https image, which the console's strict policy refuses; here they are
 * allowed, and nothing else is: no script but this page's own receiver (allowed by its hash), which takes the HTML
 * the console posts and shows it (innerHTML runs no script).
 */
const PREVIEW_SCRIPT = `window.addEventListener('message', (e) => {
  if (e.source !== window.parent || !e.data || typeof e.data.html !== 'string') return;
  document.documentElement.innerHTML = e.data.html;
});`;
const PREVIEW_SCRIPT_HASH = createHash('sha256').update(PREVIEW_SCRIPT).digest('base64');
const PREVIEW_PAGE = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Email preview</title><script>${PREVIEW_SCRIPT}</script></head><body></body></html>`;

function emailPreviewFrame(_req: Request, res: Response): void {
  res
    .set({
      'Content-Security-Policy': `default-src 'none'; script-src 'sha256-${PREVIEW_SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src https: data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'`,
      'X-Frame-Options': 'SAMEORIGIN',
      'Cache-Control': 'no-store',
    })
    .type('html')
    .send(PREVIEW_PAGE);
}

function notBuilt(res: Response): void {
  res
    .status(503)
    .type('html')
    .send(page('Console not built', html`<h1>The console is not built</h1><p class="notice bad" role="status">Run <code>npm run build</code>, then start the API again.</p>`));
}
