import express from 'express';
import { tenantIdSchema } from '../../contract/ids';
import { brandColours } from '../../domain/brandColours';
import { findTenant } from '../../services/tenants';
import type { HttpDeps } from '../deps';

/**
 * GET /brand.css?tenant=…: a tenant's colours for its end-user pages, as a
 * stylesheet of this origin (the pages' Content-Security-Policy allows no inline
 * style). Text on the colour is black or white, whichever contrasts more; links
 * use the colour darkened to read on white (src/domain/brandColours.ts). The
 * dark scheme keeps its own accent for links; the header and buttons keep the brand.
 */
export function brandStyles(deps: HttpDeps): express.Router {
  const router = express.Router();
  router.get('/brand.css', async (req, res) => {
    const id = tenantIdSchema.safeParse(req.query['tenant']);
    const tenant = id.success ? await findTenant(deps, id.data) : undefined;
    const colour = tenant?.settings.branding.primaryColor;
    res.set('Cache-Control', 'no-cache').type('css');
    if (!colour) return void res.send('/* no brand colour */\n');
    const c = brandColours(colour);
    const accentText = brandColours(c.primaryOnWhite).onPrimary;
    res.send(`body[data-branded] { --brand-primary: ${c.primary}; --brand-on-primary: ${c.onPrimary}; --brand-accent: ${c.primaryOnWhite}; --brand-accent-text: ${accentText}; }
body[data-branded] .brandbar { background: ${c.primary}; color: ${c.onPrimary}; }
`);
  });
  return router;
}
