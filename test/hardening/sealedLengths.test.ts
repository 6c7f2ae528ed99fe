import { INITIAL, useTestEnv } from '../support/env';

/**
 * Issue 17, end to end: the sealed password a workflow's history holds says nothing about the password's
 * length (test/hardening/reviewLows.test.ts checks the Sealer; this, that every path's history gets one).
 */
const env = useTestEnv();

/** A history as text, its payloads decoded (raw bytes, or base64 as the client hands them back). */
function historyText(history: unknown): string {
  const text = JSON.stringify(history, (_k, v) => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('utf8');
    return v;
  });
  return [text, ...[...text.matchAll(/"data":"([A-Za-z0-9+/=]{8,})"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))].join('\n');
}

const SEALED = /v[12]\.[0-9a-f]{16}\.[\w-]+\.[\w-]*\.[\w-]+/g;

test("temporary passwords of 24 and 123 characters are sealed values of one length in their workflows' histories", async () => {
  const tenant = await env.tenant();
  const lengths: number[] = [];
  for (const password of ['lantern-oyster-kettle-21', `${'quartz-meadow-'.repeat(8)}harbor-71`]) {
    const user = await env.user(tenant, { password: INITIAL });
    const set = await env.http('POST', `/admin/tenants/${tenant}/users/${user.id}/temporary-password`, { body: { password, notifyUser: false } });
    expect(set.status).toBe(200);
    const history = historyText(await env.client.workflow.getHandle(set.body.workflowId).fetchHistory());
    expect(history).not.toContain(password);
    const sealed = history.match(SEALED) ?? [];
    expect(sealed.length).toBeGreaterThan(0);
    lengths.push(...sealed.map((s) => s.length));
  }
  expect(new Set(lengths).size).toBe(1);
});
