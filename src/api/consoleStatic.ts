import fs from 'node:fs';
import path from 'node:path';
import express, { type Response } from 'express';
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

function notBuilt(res: Response): void {
  res
    .status(503)
    .type('html')
    .send(page('Console not built', html`<h1>The console is not built</h1><p class="notice bad" role="status">Run <code>npm run build</code>, then start the API again.</p>`));
}
