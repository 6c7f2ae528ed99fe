/** Imported first by the worker process (worker.ts): tracing, when OTEL_* asks for it, before http and pg load. */
import { startTracing } from './tracing';

try {
  startTracing('resetflow-worker');
} catch (err) {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
}
