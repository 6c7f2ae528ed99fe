import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The admin console: a React app built to static files in dist/console, which
 * the API serves at /console (src/http/consoleStatic.ts). JSX is compiled by
 * Vite's own transformer (automatic runtime); no plugin is needed for a build.
 * `npm run console:dev` serves it with live reload against an API on :3000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // the typed API client, kept in this repository as a package (clients/typescript; console/tsconfig.json maps it too)
  resolve: { alias: { '@resetflow/client': fileURLToPath(new URL('../clients/typescript/index.ts', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/admin': 'http://localhost:3000', '/console/config.json': 'http://localhost:3000' },
  },
});
