// `npm run server`: the head-office sync server. PGlite in FIELDBOOK_SERVER_DATA
// (default .data/server) unless DATABASE_URL points at PostgreSQL.
import { readFileSync } from 'node:fs';
import { loadConfig } from './config';
import { migrateUp } from './db/migrate';
import { describeLocation, openDatabase } from './db/open';
import { buildApp } from './http/app';
import { releasesDirFromEnv } from './updates';

function appVersion(): string {
  try {
    return (
      (
        JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
          version?: string;
        }
      ).version ?? 'dev'
    );
  } catch {
    return 'dev';
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  const applied = await migrateUp(db);
  const { app } = await buildApp({
    db,
    log: { level: config.logLevel },
    rateLimitPerMinute: config.rateLimitPerMinute,
    enrolPerMinute: config.enrolPerMinute,
    pushBodyLimit: config.pushBodyLimit,
    metricsToken: config.metricsToken,
    trustProxy: config.trustProxy,
    version: appVersion(),
    releasesDir: releasesDirFromEnv(),
  });
  app.log.info(
    { database: describeLocation(config.database), migrationsApplied: applied },
    'database ready',
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
    } finally {
      await db.close();
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
