/**
 * `node dist/scripts/migrate.js`: apply resetflow's database migrations and exit
 * (docker-compose.yml runs it once, before the API and the workers start; the API
 * also applies them at start, under an advisory lock, so either order is safe).
 */
import { loadLocalSecrets } from '../src/localSecrets';
import { loadConfig } from '../src/config';
import { migrate } from '../src/db/migrate';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.env['NODE_ENV'] === 'production' ? {} : { localSecrets: loadLocalSecrets });
  await migrate(config.database.url, (m) => process.stdout.write(`${m}\n`));
}

main().catch((err) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
