// A first download replayed on the device alone: the answers recorded by
// `FIELDBOOK_BENCH_RECORD=dir npx tsx bench/sync-client.ts` are served to the sync engine
// through its `fetch` (no server, no network, no compression) into fresh copies of the
// enrolled ledger recorded with them. On a shared 2-core machine the whole bench's wall
// time swings by more than a change to the applier is worth; this measures the device's
// part only, and can alternate variants in one process.
//   npx tsx bench/sync-replay.ts dir                 the code as it is, ROUNDS times
//   FIELDBOOK_REPLAY_VARIANTS='a:;b:SOME_FLAG=1' ... variants told apart by environment
//       variables the code under test reads at run time, alternating (a b b a a b ...)
//   FIELDBOOK_REPLAY_ROUNDS=8                        runs of each variant (default 6)
//   FIELDBOOK_REPLAY_PROFILE=file.cpuprofile         profiles one warm run of the first one
// The ledger must have the schema version of the code replaying it (record again after a
// migration). The first run of the process (cold) is not counted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLedger } from '../electron/ledger/db';
import { HEADER_NEXT_CURSOR } from '../shared/sync/protocol';
import { SyncEngine } from '../electron/ledger/sync/sync-engine';
import { ensureSyncSchema } from '../electron/ledger/sync/sync-schema';
import { parseVariants, startCpuProfile, summarise, variantOfRun, withEnv } from './lib';

interface Recorded {
  key: string;
  userId: string;
  authKey: string;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  cases: number;
  facts: number;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx bench/sync-replay.ts <dir recorded by FIELDBOOK_BENCH_RECORD>');
  process.exit(2);
}
const device = JSON.parse(fs.readFileSync(path.join(dir, 'device.json'), 'utf8')) as Recorded;
// Served as bytes, as nodeHttpFetch hands a decoded answer on (a string body would be
// encoded again on every replay), with the next cursor in a header as the server sends it.
const answers = (
  JSON.parse(fs.readFileSync(path.join(dir, 'answers.json'), 'utf8')) as {
    status: number;
    body: string;
  }[]
).map((a) => {
  const page = JSON.parse(a.body) as { cursor?: unknown; hasMore?: unknown };
  const next = page.hasMore === true && typeof page.cursor === 'string' ? page.cursor : null;
  return { status: a.status, body: Buffer.from(a.body, 'utf8'), next };
});

async function replay(env: Record<string, string>): Promise<Run> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-replay-'));
  fs.copyFileSync(path.join(dir!, 'ledger.db'), path.join(work, 'ledger.db'));
  const db = openLedger({
    file: path.join(work, 'ledger.db'),
    key: Buffer.from(device.key, 'hex'),
  });
  ensureSyncSchema(db);
  let next = 0;
  const served: typeof fetch = async () => {
    const a = answers[next++];
    if (!a) throw new TypeError('fetch failed: nothing more was recorded');
    return new Response(a.body, {
      status: a.status,
      headers: {
        'content-type': 'application/json',
        'content-length': String(a.body.length),
        ...(a.next ? { [HEADER_NEXT_CURSOR]: a.next } : {}),
      },
    });
  };
  const keys = new Map([[device.userId, device.authKey]]);
  const engine = new SyncEngine({
    db,
    signedInUserId: () => device.userId,
    authorKeys: () => keys,
    wipe: () => {},
    http: { fetch: served },
  });
  try {
    return await withEnv(env, async () => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await engine.sync();
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const [cases = 0, facts = 0] = db
        .prepare('SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM facts)')
        .raw()
        .get() as number[];
      return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, cases, facts };
    });
  } finally {
    db.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => summarise(xs).median;
const range = (xs: number[]): string =>
  `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const list = parseVariants(process.env.FIELDBOOK_REPLAY_VARIANTS ?? 'as is:');
const rounds = Number(process.env.FIELDBOOK_REPLAY_ROUNDS ?? 6);
const cold = await replay({});
console.log(
  `cold (not counted): ${cold.wallMs.toFixed(0)} ms, ${cold.cpuMs.toFixed(0)} ms CPU; ${cold.cases} cases, ${cold.facts} facts`,
);

const profileTo = process.env.FIELDBOOK_REPLAY_PROFILE?.trim();
if (profileTo) {
  const profile = await startCpuProfile(100);
  const run = await replay(list[0]!.env);
  await profile.stop(profileTo);
  console.log(
    `profiled: ${run.wallMs.toFixed(0)} ms, ${run.cpuMs.toFixed(0)} ms CPU → ${profileTo}`,
  );
} else {
  const runs = new Map<string, Run[]>(list.map((v) => [v.name, []]));
  for (let r = 0; r < rounds * list.length; r++) {
    const v = variantOfRun(list, r);
    runs.get(v.name)!.push(await replay(v.env));
  }
  for (const [name, rs] of runs) {
    const wall = rs.map((x) => x.wallMs);
    const cpu = rs.map((x) => x.cpuMs);
    console.log(
      `${name.padEnd(12)} wall median ${median(wall).toFixed(0)} ms (${range(wall)}), CPU median ${median(cpu).toFixed(0)} ms (${range(cpu)}), n=${rs.length}`,
    );
  }
}
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
