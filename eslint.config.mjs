// @ts-check
/**
 * Lint (part of `npm test`): typescript-eslint's recommended rules, and the
 * layering of src/ (ARCHITECTURE.md): each layer imports only the layers
 * below it. A violation fails the build.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = `(node:.*|${builtinModules.map((m) => m.replace('/', '\\/')).join('|')})`;

/** One import rule: `regex` of specifiers refused in `files`, with why. */
const refuse = (regex, message, allowTypeImports = false) => ({ regex, message, allowTypeImports });
const layer = (files, ...patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

const upward = (from, ...names) => refuse(`^(\\.\\./)+(${names.join('|')})(/|$)`, `${from} may not import ${names.join(', ')}: they are above it (ARCHITECTURE.md)`);
const DEV = refuse('^(\\.\\./)+dev/', 'dev/ runs on a developer machine only: only launchers and tests import it');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'console/**', 'clients/**', 'coverage/**', '*.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `require.resolve` (workflow bundles) is fine
      '@typescript-eslint/no-require-imports': 'off',
      // a handler registered before the value it reads is assigned (workflows) must not make it const
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // tests, benchmarks and scripts read JSON answers loosely
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // contract/: imports nothing but zod and @temporalio/common|workflow (workflows, activities, services and the HTTP edge all share it)
  layer(['src/contract/**/*.ts'], refuse('^(?!zod$|@temporalio/(common|workflow)$|\\./).*', 'src/contract may import only zod, @temporalio/common, @temporalio/workflow and itself')),
  // workflows/: deterministic code in Temporal's sandbox: @temporalio/*, the contract, themselves; anything else type-only
  layer(['src/workflows/**/*.ts'],
    refuse('^(?!@temporalio/(workflow|common)$|\\.\\./contract/|\\./).*', 'workflow code may import only @temporalio/workflow|common, src/contract and type-only imports (Temporal\'s sandbox: no Node built-ins, no store/)', true),
    refuse(`^${node}$`, 'no Node built-ins in workflow code (it runs in Temporal\'s deterministic sandbox)')),
  // domain/: pure rules
  layer(['src/domain/**/*.ts'],
    refuse(`^${node}$`, 'src/domain holds pure rules: no Node built-ins'),
    upward('src/domain', 'store', 'db', 'security', 'mail', 'activities', 'workflows', 'services', 'api', 'temporal', 'config', 'observability'), DEV),
  layer(['src/store/**/*.ts', 'src/db/**/*.ts'], upward('src/store and src/db', 'activities', 'workflows', 'services', 'api', 'temporal', 'security', 'mail', 'observability'), DEV,
    // an audit row is written by the services (an admin's synchronous action) and the activities (a workflow's step), through store/audit.ts
    refuse('^\\./audit$', 'the store writes one table family a file: audit rows are written by services and activities through store/audit.ts')),
  // observability/: metrics and tracing, which every server-side layer records into: the contract's vocabulary and libraries only
  layer(['src/observability/**/*.ts'],
    upward('src/observability', 'store', 'db', 'security', 'mail', 'activities', 'workflows', 'services', 'api', 'temporal', 'config', 'domain'), DEV),
  // i18n/: the language catalogues and ICU formatting: pure, the contract's vocabulary and intl-messageformat only
  layer(['src/i18n/**/*.ts'],
    refuse(`^${node}$`, 'src/i18n is pure: no Node built-ins'),
    upward('src/i18n', 'store', 'db', 'security', 'mail', 'activities', 'workflows', 'services', 'api', 'temporal', 'config', 'observability', 'domain'), DEV),
  layer(['src/security/**/*.ts', 'src/mail/**/*.ts'], upward('src/security and src/mail', 'store', 'db', 'activities', 'workflows', 'services', 'api', 'temporal'), DEV),
  layer(['src/activities/**/*.ts'],
    upward('src/activities', 'services', 'api', 'temporal'),
    refuse('^(\\.\\./)+workflows(/|$)', 'activities may import workflow code only for types', true), DEV),
  layer(['src/temporal/**/*.ts'], upward('src/temporal', 'services', 'api'), DEV),
  // services/: the application layer: never Express, never the HTTP edge
  layer(['src/services/**/*.ts'],
    refuse('^express($|/)', 'src/services never reads Express: take plain values, return typed results'),
    upward('src/services', 'api', 'activities'),
    refuse('^(\\.\\./)+workflows(/|$)', 'services start workflows by name: import workflow code only for types', true), DEV),
  // api/: the HTTP edge; routes call services; the store, the database and the activities are below the services
  layer(['src/api/**/*.ts'],
    refuse('^(\\.\\./)+(store|db|activities)(/|$)', 'the HTTP edge goes through src/services, not the store or the database', true),
    refuse('^(\\.\\./)+workflows(/|$)', 'the HTTP edge reaches workflows through src/services', true), DEV),
  // the API process's entry point composes everything (pool, migrations, Temporal client, development secrets), never dev/
  layer(['src/api/server.ts'], DEV),
  // the production entry points ship in the image without dev/ (Dockerfile)
  layer(['src/*.ts', 'worker.ts', 'scripts/migrate.ts', 'scripts/bundle-workflows.ts', 'scripts/openapi-document.ts'],
    refuse('^(\\.\\.?/)+dev/', 'production code ships without dev/ (Dockerfile): only launchers and tests import it')),
);
