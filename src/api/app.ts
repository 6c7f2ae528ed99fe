import express from 'express';
import helmet from 'helmet';
import { mailWebhookAuth } from './auth';
import { consoleRouter } from './consoleStatic';
import { isStreamedBodyRoute, refuseHostileBody, refuseHostileQuery, requireJsonBody, utf8Only } from './inputHygiene';
import type { HttpDeps } from './deps';
import { brandStyles } from './pages/brandStyles';
import { resetPasswordPages } from './pages/resetPasswordPage';
import { signInPages } from './pages/signInPage';
import { reportPasswordChangePages } from './pages/reportPasswordChangePage';
import { problemHandler, problems, sendProblem } from './problems';
import { observeRequests } from './requestObservability';
import { mountRoutes, type RouteDef } from './route';
import { adminKeyRoutes } from './routes/adminKey';
import { auditRoutes } from './routes/audit';
import { consoleConfigRoutes } from './routes/consoleConfig';
import { devMailboxRoutes } from './routes/devMailbox';
import { emailTemplateRoutes } from './routes/emailTemplates';
import { endUserRoutes } from './routes/endUser';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { openApiDocumentRoutes } from './routes/openApiDocument';
import { passwordCheckRoutes } from './routes/passwordCheck';
import { passwordResetRoutes } from './routes/passwordResets';
import { postmarkWebhookRoutes } from './routes/postmarkWebhooks';
import { rotationRoutes } from './routes/rotation';
import { sessionRoutes } from './routes/sessions';
import { tenantRoutes } from './routes/tenants';
import { userImportRoutes } from './routes/userImports';
import { userRoutes } from './routes/users';
import { approvalRoutes } from './routes/approvals';
import { webhookRoutes } from './routes/webhooks';

/** Every JSON route: mounted below and documented in /openapi.json (which is one of them). */
export const routes: RouteDef[] = [
  ...tenantRoutes, ...adminKeyRoutes, ...userRoutes, ...passwordResetRoutes, ...passwordCheckRoutes, ...sessionRoutes, ...auditRoutes,
  ...rotationRoutes, ...emailTemplateRoutes, ...userImportRoutes, ...endUserRoutes, ...consoleConfigRoutes, ...healthRoutes, ...devMailboxRoutes, ...metricsRoutes, ...postmarkWebhookRoutes, ...approvalRoutes, ...webhookRoutes, ...openApiDocumentRoutes(() => routes),
];

export interface AppOptions {
  /** the built admin console (dist/console), served at /console; without it /console says how to build it */
  consoleDir?: string | undefined;
}

export function createApp(deps: HttpDeps, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', deps.trustProxy);
  app.use(observeRequests(deps.metrics));
  const https = deps.publicUrl.startsWith('https:');
  app.use(
    helmet({
      referrerPolicy: { policy: 'no-referrer' },
      // Scripts, styles, fonts and fetches from this origin only: no inline code, no CDN, no remote font. A page showing
      // a tenant's logo adds the logo's origin to img-src (pages/layout.ts); the console's email preview frame has its own.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'base-uri': ["'none'"],
          'object-src': ["'none'"],
          // over plain http (development), asking browsers to upgrade would break every form post
          ...(https ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      strictTransportSecurity: https,
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.use(refuseHostileQuery);
  app.use(brandStyles(deps));
  app.use(resetPasswordPages(deps));
  app.use(signInPages(deps));
  app.use(reportPasswordChangePages(deps));
  const api = express.Router();
  // the webhook's credentials are checked before anything of its body is read
  api.use('/webhooks/postmark', mailWebhookAuth(deps));
  api.use(requireJsonBody);
  // a streamed-body route (a user import) is never parsed here, so its key and tenant are checked before its body
  const json = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'], verify: utf8Only });
  api.use((req, res, next) => (isStreamedBodyRoute(req) ? next() : json(req, res, next)));
  api.use(refuseHostileBody);
  mountRoutes(api, routes, deps);
  app.use(api);
  app.use(consoleRouter(options.consoleDir));

  app.use((_req, res) => sendProblem(res, problems.notFound('This route')));
  app.use(problemHandler(deps.log));
  return app;
}
