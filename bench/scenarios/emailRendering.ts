import { performance } from 'node:perf_hooks';
import { LOCALES } from '../../src/contract/vocabulary';
import { builtInTemplate, renderEmail, sampleFacts, type TemplateContent } from '../../src/mail/emailTemplates';
import { progress } from '../rows';
import type { Row, Scenario } from '../scenario';

/**
 * What languages and tenant templates cost per email (issue 22): rendering a
 * reset-link email (Mustache over the template, ICU date and duration, the
 * branded frame) in this process, one language after another, for the
 * built-in and a custom template. The floor: the same text with its values put
 * in by plain string replacement, the least any templating could do. Rendering
 * runs in the mail activity, once per email sent; a few microseconds against a
 * mail provider's round trip of tens of milliseconds.
 */
const CUSTOM: TemplateContent = {
  subject: 'Password help for {{user.email}} at {{branding.productName}}',
  textBody: 'Hi {{user.displayName}}!\nNew password: {{link}}\nValid for {{expiresIn}}, until {{expiresAt}}.',
  htmlBody: '<p>Hi <b>{{user.displayName}}</b>!</p><p><a href="{{link}}" style="color:{{branding.linkColor}}">New password</a> (valid for {{expiresIn}})</p>',
};

function measure(ms: number, op: (i: number) => void): { perSecond: number; p50Ms: number; p99Ms: number; count: number } {
  const samples: number[] = [];
  const end = performance.now() + ms;
  let i = 0;
  while (performance.now() < end) {
    const t0 = performance.now();
    for (let k = 0; k < 100; k++) op(i++);
    samples.push((performance.now() - t0) / 100);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { perSecond: 1000 / mean, p50Ms: samples[Math.floor(samples.length / 2)]!, p99Ms: samples[Math.floor(samples.length * 0.99)]!, count: i };
}

export const emailRendering: Scenario = {
  name: 'email-rendering',
  summary: 'an email rendered in the user\'s language with the tenant\'s brand (built-in and custom templates), beside plain string replacement',
  async run(ctx) {
    const facts = sampleFacts({
      tenantName: 'Umbrella Corp', branding: { productName: 'Umbrella Cloud', primaryColor: '#ffd400', supportEmail: 'help@umbrella.example' },
      publicUrl: 'https://id.example.com', now: new Date(), linkTtlSeconds: 86_400,
    });
    const ms = Math.min(ctx.durations.measureMs, 3000);
    const values: Record<string, string> = { 'user.email': facts.user.email, 'user.displayName': facts.user.displayName ?? '', 'branding.productName': 'Umbrella Cloud', link: facts.link!, expiresIn: '1 day', expiresAt: 'now', 'branding.linkColor': '#8c7500' };
    const floor = measure(ms, () => {
      for (const part of [CUSTOM.subject, CUSTOM.textBody, CUSTOM.htmlBody]) part.replace(/\{\{([\w.]+)\}\}/g, (_m, n: string) => values[n] ?? '');
    });
    const rows: Row[] = [];
    for (const [label, template] of [['built-in', undefined], ['custom', CUSTOM]] as const) {
      ctx.log(`  reset-link email, ${label} template…`);
      const m = measure(ms, (i) => {
        const locale = LOCALES[i % LOCALES.length]!;
        renderEmail('password_reset_link', locale, template ?? builtInTemplate('password_reset_link', locale), facts);
      });
      const row: Row = {
        name: `reset-link email rendered, ${label} template, every language in turn`, unit: 'emails/s', throughput: m.perSecond, floor: floor.perSecond,
        ratio: m.perSecond / floor.perSecond, target: null, p50Ms: m.p50Ms, p95Ms: null, p99Ms: m.p99Ms, peakRssMb: process.memoryUsage().rss / 2 ** 20,
        count: m.count, errors: 0, floorNote: 'the custom template\'s values put in by String.replace, in the same process',
      };
      progress(ctx, row);
      rows.push(row);
    }
    return rows;
  },
};
