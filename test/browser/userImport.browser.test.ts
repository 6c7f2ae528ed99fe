import bcrypt from 'bcryptjs';
import { browserSuite, expectVisible } from '../support/browser';

/** Issue 21 in the browser: an admin uploads a small file, watches it complete, and an imported user signs in with the password of the system they left. */
const suite = browserSuite();
const env = suite.env();

test('upload a small NDJSON file, watch it complete with its bad line, and sign in as an imported user', async () => {
  const tenant = await env.tenant({}, 'Initech');
  const password = 'Migrated from the old system 42';
  const lines = [
    { email: 'milton@initech.example', displayName: 'Milton Waddams', passwordHash: bcrypt.hashSync(password, 4) },
    { email: 'peter@initech.example', displayName: 'Peter Gibbons', passwordHash: bcrypt.hashSync('another one entirely 77', 4) },
    { email: 'bill@initech.example', passwordHash: 'not-a-hash-of-any-kind' },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n';

  const { page: admin } = await suite.openConsole(`/tenants/${tenant}/import`, (p) => expectVisible(p.page.getByRole('heading', { name: 'Import users', level: 1 })));
  await admin.getByLabel('NDJSON file').setInputFiles({ name: 'users.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
  await admin.getByRole('button', { name: 'Import' }).click();
  await expectVisible(admin.getByRole('heading', { name: 'Import completed' }));
  const failed = admin.getByRole('table', { name: /Lines not imported/ });
  await expectVisible(failed.getByRole('cell', { name: '3', exact: true }));

  const { page: person } = await suite.open();
  await person.goto(`/sign-in?tenant=${tenant}`);
  await person.getByLabel('Email').fill('milton@initech.example');
  await person.getByLabel('Password').fill(password);
  await person.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(person.getByRole('heading', { name: 'You are signed in' }));
  // and the imported hash is argon2id now
  const user = (await env.http('GET', `/admin/tenants/${tenant}/users?q=milton`)).body.items[0];
  expect((await env.http('GET', `/admin/tenants/${tenant}/users/${user.id}`)).body.passwordIdentity.legacyHash).toBeNull();
});
