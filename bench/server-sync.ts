// Server sync benchmark: 200 simulated devices (in-process HTTP clients over loopback)
// each pull their officer's caseload and push a day's work, all at once, against a real
// PostgreSQL server (DATABASE_URL). Prints requests/s, p50/p99 latency and the error
// count (must be zero). Runs alone with `npx tsx bench/server-sync.ts`; bench/run.ts
// calls runServerSyncBench().
import { pathToFileURL } from 'node:url';
import type { BenchSection } from './lib';
import { v7 as uuidv7 } from 'uuid';
import { createPasswordCredential, type ScryptParams } from '../shared/node/password';
import {
  SyncHttpClient,
  signMutation,
  type DeviceCredentials,
  type SignedInUser,
} from '../shared/node/sync-http';
import { HybridLogicalClock } from '../shared/sync/hlc';
import type { Mutation } from '../shared/sync/protocol';
import { migrateUp } from '../server/db/migrate';
import { openPgDatabase } from '../server/db/pg-database';
import { buildApp } from '../server/http/app';
import { createBranch } from '../server/model/branches';
import { enrolDevice, issueEnrolmentCode } from '../server/model/devices';
import { addUser } from '../server/model/users';
import { demoPortfolio } from '../server/portfolio/demo-portfolio';
import { addPortfolioCases } from '../server/portfolio/portfolio-writer';
import { appendChanges, type ChangeRow } from '../server/sync/change-feed';

export interface ServerSyncBenchOptions {
  devices?: number;
  casesPerDevice?: number;
  factsPerCase?: number;
  /** The whole run is abandoned (and counted as errors) after this long. */
  timeoutMs?: number;
  print?: (line: string) => void;
}

export interface ServerSyncBenchResult {
  skipped: boolean;
  reason?: string;
  devices?: number;
  requests?: number;
  seconds?: number;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  /** Every request's latency, for bench/run.ts's median and p95. */
  latenciesMs?: number[];
}

const BRANCHES = 4;
const FACTS_PER_DAY = 40;
const FIELD_CHANGES_PER_DAY = 10;
// Cheaper than production scrypt so that creating 200 users does not dominate the set-up;
// the server's cost per request does not depend on it (request proofs are HMACs).
const BENCH_SCRYPT: ScryptParams = { logN: 10, r: 8, p: 1 };

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Device extends DeviceCredentials {
  officer: SignedInUser;
  caseIds: string[];
  loanIds: string[];
  index: number;
}

export async function runServerSyncBench(
  options: ServerSyncBenchOptions = {},
): Promise<ServerSyncBenchResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    const reason =
      'DATABASE_URL is not set: this benchmark needs a real PostgreSQL server (see docs/SERVER.md)';
    print(`server sync: skipped (${reason})`);
    return { skipped: true, reason };
  }
  const deviceCount = options.devices ?? 200;
  const casesPerDevice = options.casesPerDevice ?? 40;
  const factsPerCase = options.factsPerCase ?? 3;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const schema = `bench_${process.pid}_${Date.now()}`;
  const db = await openPgDatabase({ connectionString: url, schema, maxConnections: 10 });
  let closeApp: (() => Promise<void>) | null = null;
  try {
    const setupStarted = performance.now();
    await migrateUp(db);
    const version =
      (await db.query<{ v: string }>(`select current_setting('server_version') as v`))[0]?.v ?? '?';

    // ---- set-up: branches, officers, caseloads with some history, enrolled devices ----
    const devices: Device[] = [];
    const seeder = await db.transaction(async (tx) => {
      const code = await issueEnrolmentCode(tx, { branchId: null, issuedBy: 'bench' });
      return (await enrolDevice(tx, { code: code.code, deviceName: 'core banking history' }))
        .device;
    });
    let seederMutation = 0;
    const perBranch = Math.ceil(deviceCount / BRANCHES);
    for (let b = 0; b < BRANCHES && devices.length < deviceCount; b++) {
      const branch = await db.transaction((tx) =>
        createBranch(tx, { code: `B${b + 1}`, name: `Bench branch ${b + 1}` }),
      );
      const officers: SignedInUser[] = [];
      for (let i = 0; i < perBranch && devices.length + officers.length < deviceCount; i++) {
        const credential = await createPasswordCredential(`bench-password-${b}-${i}`, BENCH_SCRYPT);
        const user = await db.transaction((tx) =>
          addUser(tx, {
            branchId: branch.id,
            username: `b${b + 1}-officer-${i + 1}`,
            name: `Officer ${i + 1}`,
            role: 'officer',
            credential,
          }),
        );
        officers.push({ id: user.id, authKey: credential.authKey });
      }
      const portfolio = officers.flatMap((o, i) =>
        demoPortfolio({
          count: casesPerDevice,
          officerIds: [o.id],
          seed: b * 1000 + i,
          loanNoPrefix: `B${b + 1}-O${i + 1}`,
        }),
      );
      const caseIds = await db.transaction((tx) =>
        addPortfolioCases(tx, branch.id, portfolio, { assignedBy: 'bench' }),
      );
      const loans = await db.query<{ id: string; case_id: string }>(
        'select id, case_id from loans where branch_id = $1',
        [branch.id],
      );
      const loanOf = new Map(loans.map((l) => [l.case_id, l.id]));

      // History: a few facts per case, as if synced from earlier days.
      const facts = {
        id: [] as string[],
        caseId: [] as string[],
        officer: [] as string[],
        mutationId: [] as number[],
        payload: [] as string[],
      };
      const changes: ChangeRow[] = [];
      caseIds.forEach((caseId, i) => {
        const officer = officers[Math.floor(i / casesPerDevice)] as SignedInUser;
        for (let f = 0; f < factsPerCase; f++) {
          const id = uuidv7();
          facts.id.push(id);
          facts.caseId.push(caseId);
          facts.officer.push(officer.id);
          facts.mutationId.push(++seederMutation);
          facts.payload.push(
            JSON.stringify({
              factKind: 'note',
              factId: id,
              occurredAt: '2026-11-20T02:00:00.000Z',
              text: `Visited on round ${f + 1}; borrower away at the market.`,
            }),
          );
          changes.push({
            entity: 'fact',
            entityId: id,
            branchId: branch.id,
            caseId,
            officerId: officer.id,
          });
        }
      });
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into facts (id, case_id, branch_id, kind, device_id, mutation_id, recorded_by, occurred_at, hlc, schema_version, payload)
           select id, case_id, $1, 'note', $2, mutation_id, officer, '2026-11-20T02:00:00Z', '2026-11-20T02:00:00.000Z-0000-0000000000000001', 1, payload::jsonb
             from unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) as t(id, case_id, officer, mutation_id, payload)`,
          [
            branch.id,
            seeder.id,
            facts.id,
            facts.caseId,
            facts.officer,
            facts.mutationId,
            facts.payload,
          ],
        );
        await appendChanges(tx, changes);
      });

      for (const [i, officer] of officers.entries()) {
        const mine = caseIds.slice(i * casesPerDevice, (i + 1) * casesPerDevice);
        const enrolled = await db.transaction(async (tx) => {
          const code = await issueEnrolmentCode(tx, { branchId: branch.id, issuedBy: 'bench' });
          return enrolDevice(tx, { code: code.code, deviceName: `laptop ${b + 1}-${i + 1}` });
        });
        devices.push({
          deviceId: enrolled.device.id,
          deviceToken: enrolled.token,
          officer,
          caseIds: mine,
          loanIds: mine.map((c) => loanOf.get(c) as string),
          index: devices.length,
        });
      }
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const { app } = await buildApp({ db, log: false });
    closeApp = () => app.close();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('server has no address');

    // ---- the run: every device at once ----
    const latencies: { kind: 'pull' | 'push'; ms: number }[] = [];
    let errors = 0;
    const errorSamples: string[] = [];
    const deadline = AbortSignal.timeout(timeoutMs);
    const timedFetch: typeof fetch = async (input, init) => {
      const started = performance.now();
      const res = await fetch(input, { ...init, signal: deadline });
      await res.clone().arrayBuffer();
      const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
        .pathname;
      latencies.push({
        kind: path.endsWith('push') ? 'push' : 'pull',
        ms: performance.now() - started,
      });
      return res;
    };
    const client = new SyncHttpClient({
      baseUrl: `http://127.0.0.1:${address.port}`,
      fetch: timedFetch,
    });
    const fail = (what: string) => {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(what);
    };

    const dayOf = (d: Device): Mutation[] => {
      const node = d.deviceId.replace(/-/g, '').slice(-16);
      const clock = new HybridLogicalClock(node);
      const now = Date.now();
      const mutations: Mutation[] = [];
      let id = 0;
      const add = (caseId: string, kind: string, payload: Record<string, unknown>) =>
        mutations.push(
          signMutation(d.officer.authKey, {
            deviceId: d.deviceId,
            mutationId: ++id,
            userId: d.officer.id,
            kind,
            caseId,
            payload,
            hlc: clock.send(now),
          }),
        );
      for (let i = 0; i < FACTS_PER_DAY; i++) {
        const c = i % d.caseIds.length;
        const caseId = d.caseIds[c] as string;
        const occurredAt = new Date(now - (FACTS_PER_DAY - i) * 600_000).toISOString();
        if (i % 4 === 3) {
          add(caseId, 'fact', {
            factKind: 'payment',
            factId: uuidv7(),
            occurredAt,
            loanId: d.loanIds[c],
            paidOn: occurredAt.slice(0, 10),
            amountFen: 20_000 + i * 100,
            method: 'cash',
            receiptNo: `D${d.index}-${i}`,
          });
        } else if (i % 4 === 1) {
          add(caseId, 'fact', {
            factKind: 'promise',
            factId: uuidv7(),
            occurredAt,
            madeOn: occurredAt.slice(0, 10),
            dueDate: '2026-12-15',
            amountFen: 50_000,
          });
        } else {
          add(caseId, 'fact', {
            factKind: 'contact',
            factId: uuidv7(),
            occurredAt,
            channel: 'visit',
            party: 'borrower',
            outcome: 'promise_to_pay',
            note: 'Met at home, will pay after the harvest sale.',
          });
        }
      }
      for (let i = 0; i < FIELD_CHANGES_PER_DAY; i++) {
        add(d.caseIds[i % d.caseIds.length] as string, 'case_update', {
          nextActionDate: '2026-12-0' + ((i % 9) + 1),
        });
      }
      return mutations;
    };

    const runDevice = async (d: Device) => {
      try {
        let cursor: string | null = null;
        let cases = 0;
        for (let pages = 0; pages < 50; pages++) {
          const page = await client.pull(d, d.officer, cursor);
          cases += page.items.filter((i) => i.type === 'case').length;
          cursor = page.cursor;
          if (!page.hasMore) break;
        }
        if (cases !== d.caseIds.length)
          fail(`device ${d.index} received ${cases} of ${d.caseIds.length} cases`);
        const pushed = await client.push(d, d.officer, dayOf(d));
        for (const r of pushed.results)
          if (r.status !== 'accepted')
            fail(`device ${d.index}: mutation ${r.mutationId} refused (${r.reason})`);
        await client.pull(d, d.officer, cursor);
      } catch (err) {
        fail(`device ${d.index}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };

    const started = performance.now();
    await Promise.all(devices.map(runDevice));
    const seconds = (performance.now() - started) / 1000;

    const pushedFacts =
      (
        await db.query<{ n: number }>(
          `select count(*)::int as n from facts where device_id <> $1`,
          [seeder.id],
        )
      )[0]?.n ?? 0;
    if (pushedFacts !== devices.length * FACTS_PER_DAY)
      fail(`server holds ${pushedFacts} pushed facts, expected ${devices.length * FACTS_PER_DAY}`);

    const all = latencies.map((l) => l.ms).sort((a, b) => a - b);
    const of = (kind: 'pull' | 'push') =>
      latencies
        .filter((l) => l.kind === kind)
        .map((l) => l.ms)
        .sort((a, b) => a - b);
    const result: ServerSyncBenchResult = {
      skipped: false,
      devices: devices.length,
      requests: all.length,
      seconds,
      requestsPerSecond: all.length / seconds,
      p50Ms: percentile(all, 50),
      p99Ms: percentile(all, 99),
      errors,
      latenciesMs: all,
    };
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    print(
      `server sync: PostgreSQL ${version}, ${devices.length} devices at once, ${casesPerDevice} cases each (${factsPerCase} facts of history per case)`,
    );
    print(
      `  set-up: ${devices.length * casesPerDevice} cases, ${devices.length * casesPerDevice * factsPerCase} facts, ${devices.length} enrolled devices in ${setupSeconds.toFixed(1)} s`,
    );
    print(
      `  each device: first sync, then a day's work (${FACTS_PER_DAY} facts + ${FIELD_CHANGES_PER_DAY} field changes) in one push, then one pull`,
    );
    print(
      `  ${all.length} requests in ${seconds.toFixed(2)} s = ${(all.length / seconds).toFixed(0)} requests/s`,
    );
    print(
      `  latency p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))} (pull p50 ${ms(percentile(of('pull'), 50))} p99 ${ms(percentile(of('pull'), 99))}; push p50 ${ms(percentile(of('push'), 50))} p99 ${ms(percentile(of('push'), 99))})`,
    );
    print(`  errors: ${errors} (target 0)${errors > 0 ? ` e.g. ${errorSamples.join('; ')}` : ''}`);
    return result;
  } finally {
    await closeApp?.();
    try {
      await db.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await db.close();
    }
  }
}

/** For bench/run.ts: prints the figures above, and hands back every request's latency. */
export const serverSyncSection: BenchSection = {
  name: 'server-sync',
  description:
    '200 devices at once against PostgreSQL: first sync, a day pushed, one more pull (needs DATABASE_URL)',
  async run() {
    const result = await runServerSyncBench({ print: (line) => console.log(`  ${line}`) });
    if (result.skipped || !result.latenciesMs) return [];
    return [
      {
        label: `server sync request, ${result.devices} devices at once (${result.errors} errors)`,
        samplesMs: result.latenciesMs,
      },
    ];
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runServerSyncBench()
    .then((r) => {
      process.exitCode = r.errors ? 1 : 0;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
