// The sync server of bench/sync-client.ts in a process of its own, as in the field: the
// device never shares a thread with head office. The bench forks this file with an IPC
// channel; it opens the bench's PostgreSQL schema (already migrated and seeded by the
// parent), listens on a loopback port and answers:
//   → { listening: port } once it accepts connections;
//   ← 'cpu' → { cpuMs } (CPU this process spent since it started listening);
//   ← { env } sets a variant's environment variables (see FIELDBOOK_BENCH_VARIANTS);
//   ← 'close' → closes the server and the pool, then exits.
import { openPgDatabase } from '../server/db/pg-database';
import { setEnv } from './lib';
import { listenSyncServer } from './sync-server';

const url = process.env.DATABASE_URL?.trim();
const schema = process.env.FIELDBOOK_BENCH_SCHEMA;
if (!url || !schema || !process.send) throw new Error('sync-server-process: run by the bench only');
const send = (message: unknown): void => {
  process.send?.(message);
};

// A variant's variables (FIELDBOOK_BENCH_VARIANTS) replace the last one's; what they hid is put back.
let restoreVariantEnv = (): void => {};
function setVariantEnv(env: Record<string, string>): void {
  restoreVariantEnv();
  restoreVariantEnv = setEnv(env);
}

const db = await openPgDatabase({ connectionString: url, schema, maxConnections: 6 });
const server = await listenSyncServer(db);
const cpu0 = process.cpuUsage();
process.on('message', (message) => {
  if (message === 'cpu') {
    const c = process.cpuUsage(cpu0);
    send({ cpuMs: (c.user + c.system) / 1000 });
  } else if (typeof message === 'object' && message !== null && 'env' in message) {
    setVariantEnv((message as { env: Record<string, string> }).env);
  } else if (message === 'close') {
    void server
      .close()
      .then(() => db.close())
      .finally(() => process.exit(0));
  }
});
send({ listening: server.port });
