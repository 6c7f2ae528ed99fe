import express from 'express';
import helmet from 'helmet';
import type { ApiDeps } from './deps';
import { buildOpenApi } from './openapi';
import { resetPasswordPages } from './pages/resetPasswordPage';
import { problemHandler, problems, sendProblem } from './problems';
import { mountRoutes, type RouteDef } from './route';
import { auditRoutes } from './routes/audit';
import { endUserRoutes } from './routes/endUser';
import { passwordResetRoutes } from './routes/passwordResets';
import { rotationRoutes } from './routes/rotation';
import { sessionRoutes } from './routes/sessions';
import { tenantRoutes } from './routes/tenants';
import { userRoutes } from './routes/users';

export const routes: RouteDef[] = [...tenantRoutes, ...userRoutes, ...passwordResetRoutes, ...sessionRoutes, ...auditRoutes, ...rotationRoutes, ...endUserRoutes];

export interface AppOptions {
  /** where GET /dev/mailbox redirects: the local Postmark sink, in development */
  devMailboxUrl?: string | undefined;
}

export function createApp(deps: ApiDeps, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', deps.trustProxy);
  const https = deps.publicUrl.startsWith('https:');
  app.use(
    helmet({
      referrerPolicy: { policy: 'no-referrer' },
      // over plain http (development), asking browsers to upgrade would break every form post
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': https ? [] : null } },
      strictTransportSecurity: https,
    }),
  );
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const openapi = buildOpenApi(routes);
  app.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(openapi);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (options.devMailboxUrl) {
    const target = options.devMailboxUrl;
    app.get('/dev/mailbox', (_req, res) => res.redirect(302, target));
  }

  app.use(resetPasswordPages(deps));
  const api = express.Router();
  api.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  mountRoutes(api, routes, deps);
  app.use(api);

  app.use((_req, res) => sendProblem(res, problems.notFound('This route')));
  app.use(problemHandler(deps.log));
  return app;
}
