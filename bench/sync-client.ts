// The device's sync client against a real server over loopback: the first sync of an
// officer's caseload (2,000 cases and 10,000 facts; issue #5 sizes them at ~1 kB and
// ~0.3 kB, and the "records as sent" line prints what they weigh here) into an empty,
// encrypted ledger, then an officer's day (40 facts + 10 field changes) pushed by the
// officer and pulled by the manager. Bytes are counted on the TCP connection (headers and
// compressed bodies, both ways). PostgreSQL when DATABASE_URL is set, else PGlite. With
// PostgreSQL the server runs in a process of its own (bench/sync-server-process.ts), as a
// device never shares a thread with head office; CPU is reported for each process.
//   npx tsx bench/sync-client.ts        (or the 'sync-client' section of npm run bench)
//   FIELDBOOK_BENCH_SYNC_REPEAT=3       two more first syncs into new devices (a median)
//   FIELDBOOK_BENCH_SERVER_IN_PROCESS=1 server in this process, as before session 3
//   FIELDBOOK_BENCH_RECORD=dir           keeps the officer's enrolled ledger and the answers
//                                        of its first sync for bench/sync-replay.ts
//   FIELDBOOK_BENCH_SERVER_PROFILE=dir   the server's process writes a CPU profile into dir
//   FIELDBOOK_BENCH_VARIANTS='a:;b:X=1'  the repeated first syncs alternate variants told
//                                        apart by environment variables (a b b a ...), set
//                                        in this process and the server's; a median each
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import {
  parseVariants,
  startCpuProfile,
  summarise,
  variantOfRun,
  withEnv,
  type BenchSection,
  type Measurement,
} from './lib';
import { listenSyncServer } from './sync-server';
import { createPasswordCredential } from '../shared/node/password';
import { SyncHttpClient, signMutation } from '../shared/node/sync-http';
import { HybridLogicalClock } from '../shared/sync/hlc';
import type { Database } from '../server/db/database';
import { migrateUp } from '../server/db/migrate';
import { openPgDatabase } from '../server/db/pg-database';
import { openPgliteDatabase } from '../server/db/pglite-database';
import { createBranch } from '../server/model/branches';
import { issueEnrolmentCode } from '../server/model/devices';
import { addUser } from '../server/model/users';
import { demoPortfolio } from '../server/portfolio/demo-portfolio';
import { addPortfolioCases } from '../server/portfolio/portfolio-writer';
import { commitFact, stampFact } from '../electron/ledger/commands/command';
import { openLedger, type LedgerDb } from '../electron/ledger/db';
import { bindLedger } from '../electron/ledger/ledger';
import { enqueueMutation } from '../electron/ledger/outbox';
import { enrolDevice } from '../electron/ledger/sync/enrol';
import { signInOffline } from '../electron/ledger/sync/sign-in';
import { SyncEngine } from '../electron/ledger/sync/sync-engine';
import { nodeHttpFetch } from '../shared/node/node-http-fetch';
import { ensureSyncSchema } from '../electron/ledger/sync/sync-schema';

const CASES = Number(process.env.FIELDBOOK_BENCH_SYNC_CASES ?? 2000);
const FACTS = Number(process.env.FIELDBOOK_BENCH_SYNC_FACTS ?? 10_000);
const SCRYPT = { logN: 12, r: 8, p: 1 };

interface Wire {
  up: number;
  down: number;
}

/** A TCP pass-through that counts bytes each way: what a metered link would bill. */
async function countingLink(
  target: number,
): Promise<{ port: number; wire: Wire; close(): Promise<void> }> {
  const wire: Wire = { up: 0, down: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => {
      wire.up += d.length;
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      wire.down += d.length;
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    wire,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function openServerDb(): Promise<{
  db: Database;
  label: string;
  /** The PostgreSQL schema (null for PGlite, which only this process can reach). */
  schema: string | null;
  drop(): Promise<void>;
}> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    const schema = `bench_sync_client_${process.pid}`;
    const db = await openPgDatabase({ connectionString: url, schema, maxConnections: 6 });
    return {
      db,
      label: 'PostgreSQL (DATABASE_URL)',
      schema,
      drop: async () => {
        await db.query(`drop schema if exists ${schema} cascade`);
        await db.close();
      },
    };
  }
  const db = await openPgliteDatabase();
  return {
    db,
    label: 'PGlite in memory (DATABASE_URL not set)',
    schema: null,
    drop: () => db.close(),
  };
}

/**
 * FIELDBOOK_BENCH_PROFILE=dir writes a V8 CPU profile of the first sync alone, for
 * chrome://inspect or speedscope: the device's side (the server's too when it runs in this
 * process).
 */
async function startProfile(): Promise<{ stop(name: string): Promise<void> }> {
  const dir = process.env.FIELDBOOK_BENCH_PROFILE?.trim();
  if (!dir) return { stop: async () => {} };
  const profile = await startCpuProfile();
  return { stop: (name) => profile.stop(path.join(dir, `${name}.cpuprofile`)) };
}

/**
 * FIELDBOOK_BENCH_SERVER_PROFILE=dir: the server's own process writes a V8 CPU profile of
 * its whole life (every sync of the run) into dir when it closes.
 */
function serverProfileArgs(): string[] {
  const dir = process.env.FIELDBOOK_BENCH_SERVER_PROFILE?.trim();
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * FIELDBOOK_BENCH_RECORD: the enrolled, signed-in ledger as it was before its first sync,
 * its key and the user's auth key (a throwaway bench ledger), and the pull answers of that
 * sync as the device read them (decompressed), for bench/sync-replay.ts.
 */
function startRecording(
  dir: string,
  ledger: LedgerDb,
  ledgerDir: string,
  key: Buffer,
  user: { userId: string; authKey: string },
): { keep(res: Response): Promise<Response> } {
  fs.mkdirSync(dir, { recursive: true });
  ledger.pragma('wal_checkpoint(TRUNCATE)');
  fs.copyFileSync(path.join(ledgerDir, 'ledger.db'), path.join(dir, 'ledger.db'));
  const answers: { status: number; body: string }[] = [];
  fs.writeFileSync(
    path.join(dir, 'device.json'),
    JSON.stringify({ key: key.toString('hex'), userId: user.userId, authKey: user.authKey }),
  );
  let done = false;
  return {
    keep: async (res) => {
      if (done) return res;
      const body = await res.text();
      answers.push({ status: res.status, body });
      // The first sync's last page says there is no more.
      if (/"hasMore"\s*:\s*false/.test(body)) {
        done = true;
        fs.writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(answers));
      }
      return new Response(body, { status: res.status, headers: res.headers });
    },
  };
}

interface BenchServer {
  port: number;
  /** 'own process' or 'this process'. */
  where: string;
  /** CPU the server process spent so far (null when it shares this process). */
  cpuMs(): Promise<number | null>;
  /**
   * CPU the PostgreSQL backends serving the server process spent so far, read from /proc
   * (a local PostgreSQL only; null otherwise or when the server shares this process).
   */
  postgresCpuMs(): Promise<number | null>;
  /**
   * The environment variables of a variant (FIELDBOOK_BENCH_VARIANTS) in the server's own
   * process, in place of the last variant's; in this process withEnv sets them.
   */
  setEnv(env: Record<string, string>): void;
  close(): Promise<void>;
}

/** utime + stime of these processes in ms (Linux /proc; null when unreadable). */
function procCpuMs(pids: readonly number[]): number | null {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
      ticks += Number(fields?.[11]) + Number(fields?.[12]);
    } catch {
      return null;
    }
  }
  // USER_HZ is 100 on Linux: a tick is 10 ms.
  return Number.isFinite(ticks) ? ticks * 10 : null;
}

/**
 * The server in a process of its own (PostgreSQL): a device never shares a thread with
 * head office, and in one process the server's JavaScript (pages, compression) and the
 * device's (validation, the ledger's writes) would take turns on one event loop.
 * FIELDBOOK_BENCH_SERVER_IN_PROCESS=1 (or PGlite, which lives in this process) keeps it here.
 */
async function startServer(db: Database, schema: string | null): Promise<BenchServer> {
  if (schema === null || process.env.FIELDBOOK_BENCH_SERVER_IN_PROCESS === '1') {
    const server = await listenSyncServer(db);
    return {
      port: server.port,
      where: 'this process',
      cpuMs: async () => null,
      postgresCpuMs: async () => null,
      setEnv: () => {},
      close: () => server.close(),
    };
  }
  // Its connections carry a name of their own, so that their backends can be told apart
  // from other clients of the same database.
  const appName = `fieldbook-bench-sync-${process.pid}`;
  const url = new URL(process.env.DATABASE_URL?.trim() ?? '');
  url.searchParams.set('application_name', appName);
  const child = fork(fileURLToPath(new URL('./sync-server-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...serverProfileArgs()],
    env: { ...process.env, DATABASE_URL: url.toString(), FIELDBOOK_BENCH_SCHEMA: schema },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if (typeof m === 'object' && m !== null && key in m) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve((m as Record<string, T>)[key] as T);
        }
      };
      const onExit = (code: number | null) =>
        reject(new Error(`bench server process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const port = await next<number>('listening');
  return {
    port,
    where: 'own process',
    setEnv: (env) => child.send({ env }),
    cpuMs: () => {
      const answer = next<number>('cpuMs');
      child.send('cpu');
      return answer;
    },
    postgresCpuMs: async () => {
      const rows = await db.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [appName],
      );
      return procCpuMs(rows.map((r) => r.pid));
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

/**
 * What the officer's first sync carries, as the server sends it (JSON before compression),
 * against the sizes the issue gives (a case ~1 kB, a fact ~0.3 kB): read in a download of
 * its own by a device of the same officer's, after the timed ones.
 */
async function recordSizes(
  baseUrl: string,
  device: { deviceId: string; deviceToken: string },
  user: { id: string; authKey: string },
): Promise<string> {
  const bodies: string[] = [];
  const client = new SyncHttpClient({
    baseUrl,
    fetch: async (input, init) => {
      const res = await nodeHttpFetch(input, init);
      bodies.push(await res.clone().text());
      return res;
    },
  });
  let cursor: string | null = null;
  for (;;) {
    const page = await client.pull(device, user, cursor);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  let json = 0;
  let cases = 0;
  let facts = 0;
  let caseBytes = 0;
  let factBytes = 0;
  for (const body of bodies) {
    json += Buffer.byteLength(body);
    for (const item of (JSON.parse(body) as { items: { type: string }[] }).items) {
      const bytes = Buffer.byteLength(JSON.stringify(item));
      if (item.type === 'fact') {
        facts++;
        factBytes += bytes;
      } else if (item.type !== 'branch' && item.type !== 'user') {
        if (item.type === 'case') cases++;
        caseBytes += bytes;
      }
    }
  }
  const per = (bytes: number, n: number) => `${(bytes / Math.max(1, n) / 1024).toFixed(2)} kB`;
  return (
    `records as sent: a case with its borrower, contact points, loan and schedule ${per(caseBytes, cases)}, ` +
    `a fact ${per(factBytes, facts)} (the issue sizes them at ~1 kB and ~0.3 kB); ` +
    `${(json / 1024 / 1024).toFixed(1)} MB of JSON in all, against the issue's ` +
    `${((cases * 1024 + facts * 0.3 * 1024) / 1024 / 1024).toFixed(1)} MB`
  );
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

export async function runSyncClientBench(
  print: (line: string) => void = console.log,
): Promise<Measurement[]> {
  const server = await openServerDb();
  const dirs: string[] = [];
  const ledgers: LedgerDb[] = [];
  let closeApp = async () => {};
  try {
    const { db } = server;
    await migrateUp(db);
    const branch = await db.transaction((tx) =>
      createBranch(tx, { code: 'BN01', name: '基准支行' }),
    );
    const officerPw = 'bench-officer-password';
    const managerPw = 'bench-manager-password';
    const officerCred = await createPasswordCredential(officerPw, SCRYPT);
    const managerCred = await createPasswordCredential(managerPw, SCRYPT);
    const officer = await db.transaction((tx) =>
      addUser(tx, {
        branchId: branch.id,
        username: 'bench-officer',
        name: '李伟',
        role: 'officer',
        credential: officerCred,
      }),
    );
    await db.transaction((tx) =>
      addUser(tx, {
        branchId: branch.id,
        username: 'bench-manager',
        name: '张敏',
        role: 'manager',
        credential: managerCred,
      }),
    );
    const caseIds = await db.transaction((tx) =>
      addPortfolioCases(
        tx,
        branch.id,
        demoPortfolio({ count: CASES, officerIds: [officer.id], seed: 7, loanNoPrefix: 'BN' }),
        {
          assignedBy: 'bench',
        },
      ),
    );
    const loans = await db.query<{ id: string; case_id: string }>('select id, case_id from loans');
    const loanOf = new Map(loans.map((l) => [l.case_id, l.id]));

    const benchServer = await startServer(db, server.schema);
    closeApp = () => benchServer.close();
    const port = benchServer.port;
    const direct = `http://127.0.0.1:${port}`;

    // History: FACTS facts pushed by another device of the officer's.
    const seedClient = new SyncHttpClient({ baseUrl: direct });
    const seedCode = await db.transaction((tx) =>
      issueEnrolmentCode(tx, { branchId: branch.id, issuedBy: 'bench' }),
    );
    const seedDevice = await seedClient.enrol(seedCode.code, 'history');
    const clock = new HybridLogicalClock('00000000000000aa');
    const user = { id: officer.id, authKey: officerCred.authKey };
    let mutationId = 0;
    for (let start = 0; start < FACTS; start += 500) {
      const batch = [];
      for (let i = start; i < Math.min(FACTS, start + 500); i++) {
        const caseId = caseIds[i % caseIds.length] as string;
        const occurredAt = new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString();
        const payload =
          i % 5 === 0
            ? {
                factKind: 'payment',
                factId: uuidv7(),
                occurredAt,
                loanId: loanOf.get(caseId),
                paidOn: occurredAt.slice(0, 10),
                amountFen: 10_000 + i,
                method: 'cash',
                receiptNo: `H-${i}`,
              }
            : {
                factKind: 'contact',
                factId: uuidv7(),
                occurredAt,
                channel: 'visit',
                party: 'borrower',
                outcome: 'promise_to_pay',
                note: '上门拜访，借款人承诺月底前还款。',
              };
        batch.push(
          signMutation(user.authKey, {
            deviceId: seedDevice.deviceId,
            mutationId: ++mutationId,
            userId: user.id,
            kind: 'fact',
            caseId,
            payload,
            hlc: clock.send(Date.parse(occurredAt)),
          }),
        );
      }
      await seedClient.push(seedDevice, user, batch);
    }

    const link = await countingLink(port);
    const viaLink = `http://127.0.0.1:${link.port}`;
    let recordInto = process.env.FIELDBOOK_BENCH_RECORD?.trim() || null;
    const makeDevice = async (login: string, pw: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-sync-'));
      dirs.push(dir);
      const ledgerKey = crypto.randomBytes(32);
      const ledger = openLedger({ file: path.join(dir, 'ledger.db'), key: ledgerKey });
      ledgers.push(ledger);
      ensureSyncSchema(ledger);
      const code = await db.transaction((tx) =>
        issueEnrolmentCode(tx, { branchId: branch.id, issuedBy: 'bench' }),
      );
      await enrolDevice({ db: ledger, serverUrl: direct, code: code.code, deviceName: login });
      const signed = await signInOffline(ledger, login, pw, Date.now());
      if (!signed.ok) throw new Error('bench sign-in failed');
      const requests = { push: 0, pull: 0 };
      ledger.prepare("UPDATE sync_state SET value = ? WHERE key = 'server_url'").run(viaLink);
      // The first device (the officer's, whose first sync is measured) is recorded.
      const recording = recordInto
        ? startRecording(recordInto, ledger, dir, ledgerKey, signed)
        : null;
      recordInto = null;
      const counting: typeof fetch = async (input, init) => {
        const u = String(input);
        if (u.includes('/v1/sync/push')) requests.push++;
        if (u.includes('/v1/sync/pull')) requests.pull++;
        const res = await nodeHttpFetch(input, init);
        return recording && u.includes('/v1/sync/pull') ? recording.keep(res) : res;
      };
      const keys = new Map([[signed.userId, signed.authKey]]);
      const engine = new SyncEngine({
        db: ledger,
        signedInUserId: () => signed.userId,
        authorKeys: () => keys,
        wipe: () => {},
        http: { fetch: counting },
      });
      return { ledger, engine, requests, userId: signed.userId };
    };

    print(
      `  server: ${server.label}, in ${benchServer.where}; ${CASES} cases, ${FACTS} facts of history`,
    );
    const officerDevice = await makeDevice('bench-officer', officerPw);
    const managerDevice = await makeDevice('bench-manager', managerPw);

    const w0 = { ...link.wire };
    const profile = await startProfile();
    const serverCpu0 = await benchServer.cpuMs();
    const pgCpu0 = await benchServer.postgresCpuMs();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await officerDevice.engine.sync();
    const firstMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const serverCpu1 = await benchServer.cpuMs();
    const pgCpu1 = await benchServer.postgresCpuMs();
    const serverCpu =
      (serverCpu0 === null || serverCpu1 === null
        ? ''
        : ` + ${(serverCpu1 - serverCpu0).toFixed(0)} ms CPU in the server's`) +
      (pgCpu0 === null || pgCpu1 === null ? '' : ` + ${pgCpu1 - pgCpu0} ms in PostgreSQL's`);
    // On a shared machine wall time swings with the neighbours' load; the CPU each process
    // spent (the device's here: JavaScript, SQLite; the server's and PostgreSQL's) does not.
    const firstCpuMs = (cpu.user + cpu.system) / 1000;
    await profile.stop('first-sync');
    const first = { up: link.wire.up - w0.up, down: link.wire.down - w0.down };
    const held = officerDevice.ledger
      .prepare('SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM facts)')
      .raw()
      .get() as number[];
    const firstRequests = officerDevice.requests.pull + officerDevice.requests.push;
    print(
      `  first sync: ${firstMs.toFixed(0)} ms (target < 600 ms; ${firstCpuMs.toFixed(0)} ms CPU in this process${serverCpu}), ${kb(first.up + first.down)} on the wire (up ${kb(first.up)}, down ${kb(first.down)}; target ≤ 700 KB), ${firstRequests} requests (target ≤ 20); device holds ${held[0]} cases, ${held[1]} facts`,
    );
    // FIELDBOOK_BENCH_SYNC_REPEAT=n: n-1 more first syncs, each into a new device's empty
    // ledger (same officer, same server), for a median on a machine whose load swings.
    const firstSamples = [firstMs];
    const repeat = Number(process.env.FIELDBOOK_BENCH_SYNC_REPEAT ?? 1);
    const variants = parseVariants(process.env.FIELDBOOK_BENCH_VARIANTS ?? 'as is:');
    const byVariant = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let i = 1; i < repeat; i++) {
      const variant = variantOfRun(variants, i - 1);
      benchServer.setEnv(variant.env);
      const again = await makeDevice('bench-officer', officerPw);
      const sa = await benchServer.cpuMs();
      const pa = await benchServer.postgresCpuMs();
      const ta = performance.now();
      const ca = process.cpuUsage();
      await withEnv(variant.env, () => again.engine.sync());
      const ms = performance.now() - ta;
      const c = process.cpuUsage(ca);
      const sb = await benchServer.cpuMs();
      const pb = await benchServer.postgresCpuMs();
      firstSamples.push(ms);
      byVariant.get(variant.name)?.push(ms);
      const inServer =
        (sa === null || sb === null ? '' : ` + ${(sb - sa).toFixed(0)} ms in the server's`) +
        (pa === null || pb === null ? '' : ` + ${pb - pa} ms in PostgreSQL's`);
      const which = variants.length > 1 ? ` [${variant.name}]` : '';
      print(
        `  first sync again (new device)${which}: ${ms.toFixed(0)} ms, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU in this process${inServer}`,
      );
      again.ledger.close();
    }
    if (variants.length > 1) {
      benchServer.setEnv({});
      for (const [name, ms] of byVariant) {
        const m = summarise(ms);
        print(
          `  variant ${name}: median ${m.median.toFixed(0)} ms of ${m.n} (${ms.map((x) => x.toFixed(0)).join(', ')})`,
        );
      }
    }
    print(`  ${await recordSizes(direct, seedDevice, user)}`);
    await managerDevice.engine.sync();

    // The officer's day: 40 facts (contacts, promises, payments) + 10 next-action changes.
    const ledger = bindLedger(officerDevice.ledger);
    const dayCases = caseIds.slice(0, 20);
    for (let i = 0; i < 40; i++) {
      const caseId = dayCases[i % dayCases.length] as string;
      ledger.db
        .transaction(() => {
          const s = stampFact(ledger);
          const base = { ...s, caseId, recordedBy: officerDevice.userId };
          if (i % 4 === 0)
            commitFact(ledger, 'payment.record', {
              ...base,
              kind: 'payment',
              payload: {
                loanId: loanOf.get(caseId) as string,
                amountFen: 20_000,
                method: 'cash',
                receiptNo: `DAY-${i}`,
                paidOn: s.businessDate,
                note: null,
              },
            });
          else if (i % 4 === 1)
            commitFact(ledger, 'promise.record', {
              ...base,
              kind: 'promise',
              payload: {
                amountFen: 30_000,
                dueDate: '2026-12-20',
                contactFactId: null,
                note: null,
              },
            });
          else
            commitFact(ledger, 'contact.record', {
              ...base,
              kind: 'contact',
              payload: {
                channel: 'visit',
                party: 'borrower',
                contactPointId: null,
                outcome: 'promise_to_pay',
                note: '借款人承诺月底还款',
                nextActionDate: null,
                secondCollectorId: null,
              },
            });
        })
        .immediate();
    }
    for (let i = 0; i < 10; i++) {
      const caseId = dayCases[i] as string;
      ledger.db
        .transaction(() => {
          const s = stampFact(ledger);
          ledger.db
            .prepare(
              `UPDATE cases SET next_action_date = ?, field_clocks = json_set(field_clocks, '$.nextActionDate', ?) WHERE id = ?`,
            )
            .run('2026-12-15', s.hlc, caseId);
          enqueueMutation(
            ledger.db,
            {
              kind: 'case_update',
              caseId,
              userId: officerDevice.userId,
              hlc: s.hlc,
              payload: { nextActionDate: '2026-12-15' },
            },
            s.occurredAt,
          );
        })
        .immediate();
    }
    const p0 = { ...officerDevice.requests };
    const w1 = { ...link.wire };
    const t1 = performance.now();
    await officerDevice.engine.sync();
    const pushMs = performance.now() - t1;
    const pushWire = link.wire.up - w1.up + (link.wire.down - w1.down);
    const pushRequests = officerDevice.requests.push - p0.push;
    const officerPulls = officerDevice.requests.pull - p0.pull;
    const m0 = { ...managerDevice.requests };
    const w2 = { ...link.wire };
    const t2 = performance.now();
    await managerDevice.engine.sync();
    const pullMs = performance.now() - t2;
    const pullWire = link.wire.up - w2.up + (link.wire.down - w2.down);
    const managerPulls = managerDevice.requests.pull - m0.pull;
    print(
      `  day's work: push ${pushMs.toFixed(0)} ms in ${pushRequests} request(s) (+${officerPulls} pull of the officer's own sync), ${kb(pushWire)} on the wire for the officer's sync; manager pull ${pullMs.toFixed(0)} ms in ${managerPulls} request(s), ${kb(pullWire)}; push+pull ${kb(pushWire + pullWire)} (target ≤ 8 KB, one request each way)`,
    );
    await link.close();
    return [
      {
        label: `first sync, ${CASES} cases + ${FACTS} facts (${kb(first.up + first.down)}, ${firstRequests} req)`,
        samplesMs: firstSamples,
        target: { stat: 'median', ms: 600 },
      },
      { label: `day's work push (${pushRequests} req)`, samplesMs: [pushMs] },
      {
        label: `day's work pull on the manager's device (${managerPulls} req)`,
        samplesMs: [pullMs],
      },
    ];
  } finally {
    for (const l of ledgers) if (l.open) l.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await closeApp();
    await server.drop();
  }
}

export const syncClientSection: BenchSection = {
  name: 'sync-client',
  description:
    "device sync client: first sync of an officer's caseload, and a day's work up and down",
  run: () => runSyncClientBench(),
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { formatMeasurement } = await import('./lib');
  console.log('[sync-client] ' + syncClientSection.description);
  for (const m of await runSyncClientBench()) console.log(formatMeasurement(m));
}
