/**
 * `npm run seed`: a demo tenant with a password user and a federated-only user,
 * created through the running API (`npm start` in another terminal), so every
 * reset path can be tried at once. Safe to run twice.
 */
import { loadLocalSecrets } from '../src/localSecrets';
import { loadConfig } from '../src/config';

const TENANT = 'demo';
const PASSWORD = 'orbit-velvet-canyon-93';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { localSecrets: loadLocalSecrets });
  const base = `http://127.0.0.1:${config.port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${config.adminApiKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).catch(() => {
      throw new Error(`the API is not answering on ${base}: start it with \`npm start\` first`);
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };

  const tenant = await call('POST', '/admin/tenants', { id: TENANT, name: 'Demo Company', settings: { resetLinkTtlSeconds: 3600 } });
  if (tenant.status !== 201 && tenant.status !== 409) throw new Error(`creating the tenant: ${JSON.stringify(tenant.body)}`);

  const users = [
    { email: 'ada@demo.example', displayName: 'Ada Lovelace', password: PASSWORD },
    { email: 'grace@demo.example', displayName: 'Grace Hopper', federatedIdentities: [{ provider: 'google', subject: '1094857362' }] },
  ];
  const ids: Record<string, string> = {};
  for (const u of users) {
    const created = await call('POST', `/admin/tenants/${TENANT}/users`, u);
    if (created.status === 201) ids[u.email] = created.body.id;
    else if (created.status === 409) {
      const found = await call('GET', `/admin/tenants/${TENANT}/users?q=${encodeURIComponent(u.email)}`);
      ids[u.email] = found.body.items[0].id;
    } else throw new Error(`creating ${u.email}: ${JSON.stringify(created.body)}`);
  }
  const key = await call('POST', `/admin/tenants/${TENANT}/api-keys`, { name: 'demo helpdesk' });

  const ada = ids['ada@demo.example'];
  const admin = `-H "Authorization: Bearer ${key.body.key}" -H 'content-type: application/json'`;
  console.log(`Demo tenant "${TENANT}" is ready.

  Ada Lovelace   ada@demo.example    password ${PASSWORD}   (user ${ada})
  Grace Hopper   grace@demo.example  federated only (Google)  (user ${ids['grace@demo.example']})
  Tenant key     ${key.body.key}     (acts on "${TENANT}" only)

Try the three paths:
  curl -X POST ${base}/admin/tenants/${TENANT}/users/${ada}/password-reset-email ${admin} -d '{}'
      then open the link in the dev mailbox${config.mail.sink ? ` (http://localhost:${config.mail.sink.port}/dev/mailbox)` : ''}
  curl -X POST ${base}/admin/tenants/${TENANT}/users/${ada}/temporary-password ${admin} -d '{"password":"lantern-oyster-kettle-21"}'
  curl -X POST ${base}/admin/tenants/${TENANT}/users/${ada}/force-password-reset ${admin} -d '{}'
  curl -X POST ${base}/auth/sign-in -H 'content-type: application/json' -d '{"tenant":"${TENANT}","email":"ada@demo.example","password":"..."}'
Every reset is a workflow in the Temporal Web UI (${config.temporal.uiUrl}); search TenantId="${TENANT}".`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
