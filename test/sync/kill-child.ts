// A device process for the SIGKILL tests (run with npx tsx): opens the ledger, signs in
// and syncs, announcing on stdout the moment the parent should kill it:
//   push: after the server answered a push, before the device records the answer;
//   pull: inside the transaction applying the first page, before it commits.
// It then waits (never finishing on its own) until killed.
import path from 'node:path';
import { openLedger } from '../../electron/ledger/db';
import { signInOffline } from '../../electron/ledger/sync/sign-in';
import { SyncEngine } from '../../electron/ledger/sync/sync-engine';
import { nodeHttpFetch } from '../../shared/node/node-http-fetch';

const [dir, keyHex, mode] = process.argv.slice(2) as [string, string, 'push' | 'pull'];
const login = process.env.FB_LOGIN ?? '';
const password = process.env.FB_PASSWORD ?? '';
const sleepForever = (): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
};

const db = openLedger({ file: path.join(dir, 'ledger.db'), key: Buffer.from(keyHex, 'hex') });
const signed = await signInOffline(db, login, password, Date.now());
if (!signed.ok) throw new Error('child sign-in failed');
const keys = new Map([[signed.userId, signed.authKey]]);
// FB_SERVER_URL: talk to the server directly (the fault harness's proxy would make the
// moment of the kill a matter of chance).
const direct = process.env.FB_SERVER_URL;
const killingFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  const res = await nodeHttpFetch(
    direct ? `${direct}${new URL(url).pathname}${new URL(url).search}` : url,
    init,
  );
  if (mode === 'push' && url.includes('/v1/sync/push')) {
    await res.clone().text();
    process.stdout.write('KILL-ME\n');
    sleepForever();
  }
  return res;
};
const engine = new SyncEngine({
  db,
  signedInUserId: () => signed.userId,
  authorKeys: () => keys,
  wipe: () => {},
  pullLimit: 3,
  http: { fetch: killingFetch },
  hooks: {
    beforePageCommit(pageIndex) {
      if (mode === 'pull' && pageIndex === 0) {
        process.stdout.write('KILL-ME\n');
        sleepForever();
      }
    },
  },
});
await engine.sync();
process.stdout.write('FINISHED\n');
