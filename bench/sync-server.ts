// The head-office sync server as the sync benches run it (in the bench's process or its
// own): no request log, limits far above what a bench sends, on a free loopback port.
import type { Database } from '../server/db/database';
import { buildApp } from '../server/http/app';

export async function listenSyncServer(
  db: Database,
): Promise<{ port: number; close(): Promise<void> }> {
  const { app } = await buildApp({
    db,
    log: false,
    rateLimitPerMinute: 1_000_000,
    enrolPerMinute: 1000,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => app.close(),
  };
}
