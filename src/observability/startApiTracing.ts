/** Imported first by the api process (src/api/server.ts): tracing, when OTEL_* asks for it, before http and pg load. */
import { startTracing } from './tracing';

try {
  startTracing('resetflow-api');
} catch (err) {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
}
