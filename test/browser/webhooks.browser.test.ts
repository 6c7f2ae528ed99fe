import { Webhook } from 'standardwebhooks';
import { browserSuite, expectVisible } from '../support/browser';
import { WebhookReceiver } from '../support/webhookReceiver';

/**
 * Issue 20 in the browser: an admin adds a webhook endpoint (its secret shown once), sends it a
 * test event and sees it succeed; a receiver that fails sees the delivery retried, fail, and
 * succeed after the admin's Retry.
 */
const suite = browserSuite({
  webhooks: true,
  env: { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_SCHEDULE_SECONDS: '0.3,0.3', WEBHOOK_DISPATCH_INTERVAL_MS: '500', WEBHOOK_TIMEOUT_MS: '2000' },
});
const env = suite.env();
const rx = new WebhookReceiver();
beforeAll(() => rx.listen(0));
afterAll(() => rx.close());

test('create an endpoint, send a test event and see it succeed; a failing one is retried, then sent again with Retry', async () => {
  const tenant = await env.tenant({}, 'Hooli');
  const { page } = await suite.openConsole(`/tenants/${tenant}/webhooks`, (p) => expectVisible(p.page.getByRole('heading', { name: 'Webhooks', level: 1 })));
  await page.getByLabel('URL').fill('https://169.254.169.254/latest');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  await expectVisible(page.getByText(/link-local|metadata/));

  await page.getByLabel('URL').fill(rx.url);
  await page.getByLabel('Description').fill('Support desk');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  const secretBox = page.getByLabel('Signing secret');
  await expectVisible(secretBox);
  const secret = await secretBox.inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'I have kept it' }).click();
  await page.getByRole('link', { name: rx.url }).click();
  await expectVisible(page.getByRole('heading', { name: 'Webhook endpoint', level: 1 }));

  // a test event, delivered and verified with the secret the page showed
  await page.getByRole('button', { name: 'Send test event' }).click();
  const deliveries = page.getByRole('table', { name: /Deliveries/ });
  await expectVisible(deliveries.getByRole('row').filter({ hasText: 'webhook.test' }).filter({ hasText: 'Succeeded' }));
  const got = rx.ofType('webhook.test')[0]!;
  expect(new Webhook(secret).verify(got.body, got.headers)).toEqual(expect.objectContaining({ type: 'webhook.test' }));

  // the receiver fails: three attempts, then Failed; Retry after it recovers
  rx.respond = () => 503;
  await page.getByRole('button', { name: 'Send test event' }).click();
  const failedRow = deliveries.getByRole('row').filter({ hasText: 'Failed' });
  await expectVisible(failedRow);
  await expectVisible(failedRow.getByRole('cell', { name: '3', exact: true }));
  await expectVisible(failedRow.getByRole('cell', { name: /503/ }));
  rx.respond = () => 200;
  await failedRow.getByRole('button', { name: 'Retry' }).click();
  await expectVisible(page.getByText('Delivery queued again.'));
  await expectVisible(deliveries.getByRole('row').filter({ hasText: 'webhook.test' }).filter({ hasText: 'Succeeded' }).nth(1));
  await expect(deliveries.getByRole('row').filter({ hasText: 'Failed' }).count()).resolves.toBe(0);
  const ids = rx.ofType('webhook.test').map((r) => r.headers['webhook-id']);
  expect(ids).toHaveLength(5);
  expect(new Set(ids.slice(1)).size).toBe(1);
});
