import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The production image is built from what production runs (issue 16): the Dockerfile copies no
 * dev/, bench/ or test/, and the program it compiles (tsconfig.production.json) reaches no file
 * there through any import, however indirect.
 */
const root = path.resolve(__dirname, '..');

test('the Dockerfile copies nothing only a developer machine runs', () => {
  const copied = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8').split('\n')
    .filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))
    .flatMap((l) => l.trim().split(/\s+/).slice(1, -1));
  expect(copied).toContain('src');
  expect(copied.filter((p) => /^(dev|bench|test)(\/|$)/.test(p))).toEqual([]);
});

test('the production program imports nothing from dev/, bench/ or test/', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const files = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.production.json', '--listFilesOnly'], { cwd: root, encoding: 'utf8' })
    .split('\n').map((f) => path.relative(root, f)).filter((f) => f && !f.startsWith('node_modules') && !f.startsWith('..'));
  expect(files).toContain('worker.ts');
  expect(files).toContain(path.join('src', 'api', 'server.ts'));
  expect(files.filter((f) => /^(dev|bench|test)\//.test(f))).toEqual([]);
});
