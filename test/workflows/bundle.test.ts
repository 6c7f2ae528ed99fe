import fs from 'node:fs';

/**
 * What the workflow bundle carries. The SDK's reusable V8 context evaluates every module a
 * workflow imports again for each workflow it runs or replays, and keeps that copy while the
 * workflow is cached (up to WORKER_MAX_CACHED_WORKFLOWS of them). One import of zod from a
 * workflow (through `contract/ids`) cost 0.7 MiB and the schemas' set-up per workflow: with
 * 250 cached the worker's workflow heap held 180 MiB, collected every 2 s, and path 1's
 * completion fell to a quarter of its throughput (docs/performance.md). Workflows check their
 * inputs with `guards.ts`, not zod; only the SDK and its own dependencies belong here.
 */
const SDK_AND_ITS_DEPENDENCIES = ['@temporalio/common', '@temporalio/workflow', 'nexus-rpc', 'ms', 'long'];

function bundledModules(): string[] {
  const bundlePath = process.env['RESETFLOW_TEST_WORKFLOW_BUNDLE'];
  if (!bundlePath) throw new Error('RESETFLOW_TEST_WORKFLOW_BUNDLE is not set: the tests\' global set-up bundles the workflows');
  const code = fs.readFileSync(bundlePath, 'utf8');
  // webpack names each module it bundles in a banner comment: /*!*** ./path ***!*/
  return [...code.matchAll(/!\*\*\* (\.\/[^*\s]+) \*\*\*!/g)].map((m) => m[1]!);
}

function packageOf(modulePath: string): string | undefined {
  const parts = modulePath.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const name = parts[at + 1]!;
  return name.startsWith('@') ? `${name}/${parts[at + 2]}` : name;
}

test('the workflow bundle holds the workflows, what they import from src/contract, and the SDK: no zod, no other package', () => {
  const modules = bundledModules();
  expect(modules.length).toBeGreaterThan(20);
  const packages = [...new Set(modules.map(packageOf).filter((p): p is string => p !== undefined))].sort();
  expect(packages).toContain('@temporalio/workflow');
  expect(packages.filter((p) => !SDK_AND_ITS_DEPENDENCIES.includes(p))).toEqual([]);
  const own = modules.filter((m) => packageOf(m) === undefined && /\/src\//.test(m)).map((m) => m.replace(/^.*\/src\//, 'src/'));
  expect(own).toContain('src/workflows/passwordResetEmail.ts');
  // a workflow's own imports: the workflows and the contract's zod-free modules, nothing from the layers that do I/O
  expect(own.filter((m) => !/^src\/(workflows|contract)\//.test(m))).toEqual([]);
});
