import { v7 as uuidv7 } from 'uuid';
import { createPasswordCredential } from '../shared/node/password';
import { SyncHttpClient } from '../shared/node/sync-http';
import { migrateUp } from '../server/db/migrate';
import { openPgDatabase } from '../server/db/pg-database';
import { buildApp } from '../server/http/app';
import { createBranch } from '../server/model/branches';
import { enrolDevice, issueEnrolmentCode } from '../server/model/devices';
import { addUser } from '../server/model/users';
import { demoPortfolio } from '../server/portfolio/demo-portfolio';
import { addPortfolioCases } from '../server/portfolio/portfolio-writer';
const schema = `zz_${process.pid}`;
const db = await openPgDatabase({ connectionString: process.env.DATABASE_URL!, schema });
await migrateUp(db);
const branch = await db.transaction((tx) => createBranch(tx, { code: 'B1', name: 'b' }));
const cred = await createPasswordCredential('password-1', { logN: 10, r: 8, p: 1 });
const user = await db.transaction((tx) => addUser(tx, { branchId: branch.id, username: 'o1', name: 'o', role: 'officer', credential: cred }));
const caseIds = await db.transaction((tx) => addPortfolioCases(tx, branch.id, demoPortfolio({ count: 2000, officerIds: [user.id] }), { assignedBy: 'x' }));
const dev = await db.transaction(async (tx) => enrolDevice(tx, { code: (await issueEnrolmentCode(tx, { branchId: branch.id, issuedBy: 'x' })).code, deviceName: 'd' }));
const ids: string[] = [], cs: string[] = [], pl: string[] = [];
let n = 0;
for (const c of caseIds) for (let i = 0; i < 5; i++) { const id = uuidv7(); ids.push(id); cs.push(c); pl.push(JSON.stringify({ factKind: 'contact', factId: id, occurredAt: '2026-11-20T02:00:00.000Z', channel: 'visit', party: 'borrower', outcome: 'promise_to_pay', note: 'Met at home, will pay after the harvest sale. '.repeat(3) })); }
await db.query(`insert into facts (id, case_id, branch_id, kind, device_id, mutation_id, recorded_by, occurred_at, hlc, schema_version, payload) select id, c, $1, 'contact', $2, row_number() over (), $3, now(), '2026-11-20T02:00:00.000Z-0000-0000000000000001', 1, p::jsonb from unnest($4::text[], $5::text[], $6::text[]) as t(id, c, p)`, [branch.id, dev.device.id, user.id, ids, cs, pl]);
void n;
const { app } = await buildApp({ db, log: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as { port: number }).port;
let bytes = 0;
const client = new SyncHttpClient({ baseUrl: `http://127.0.0.1:${port}`, onBytes: (_s, r) => { bytes += r ?? 0; } });
for (let round = 0; round < 3; round++) {
  const t = performance.now(); let cursor: string | null = null; let items = 0; let req = 0; bytes = 0;
  for (;;) { const p = await client.pull({ deviceId: dev.device.id, deviceToken: dev.token }, { id: user.id, authKey: cred.authKey }, cursor, 5000); req++; items += p.items.length; cursor = p.cursor; if (!p.hasMore) break; }
  console.log(`first sync: ${items} items, ${req} requests, ${(performance.now() - t).toFixed(0)} ms, ${bytes} bytes (content-length)`);
}
import { pull } from '../server/sync/pull';
import { requestProof } from '../shared/node/proofs';
for (let round = 0; round < 1; round++) {
  let t = performance.now(); let cursor: string | undefined; let total = 0;
  const pages = [];
  for (;;) { const p = await pull(db, { userId: user.id, role: 'officer', userBranchId: branch.id, deviceId: dev.device.id, deviceBranchId: branch.id }, { cursor, limit: 5000 }); pages.push(p); cursor = p.cursor; if (!p.hasMore) break; }
  const tPull = performance.now() - t; t = performance.now();
  const json = pages.map((p) => JSON.stringify(p)); const tJson = performance.now() - t; t = performance.now();
  const zlib = await import('node:zlib');
  const br = json.map((j) => zlib.brotliCompressSync(j, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })); const tBr = performance.now() - t;
  const gz = json.map((j) => zlib.gzipSync(j));
  total = br.reduce((a, b) => a + b.length, 0);
  for (const q of [1, 2, 3, 4, 5]) { const t0 = performance.now(); const n = json.map((j) => zlib.brotliCompressSync(j, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q } }).length).reduce((a, b) => a + b, 0); console.log(`  br q${q}: ${(performance.now() - t0).toFixed(0)} ms ${n}`); }
  for (const l of [1, 3, 6]) { const t0 = performance.now(); const n = json.map((j) => zlib.gzipSync(j, { level: l }).length).reduce((a, b) => a + b, 0); console.log(`  gzip ${l}: ${(performance.now() - t0).toFixed(0)} ms ${n}`); }
  { const t0 = performance.now(); for (const b of br) JSON.parse(zlib.brotliDecompressSync(b).toString()); console.log(`  client br decompress+parse ${(performance.now() - t0).toFixed(0)} ms`); }
  { const { pullResponseSchema } = await import('../shared/sync/protocol'); const parsed = json.map((j) => JSON.parse(j)); const t0 = performance.now(); for (const p of parsed) pullResponseSchema.parse(p); console.log(`  client zod ${(performance.now() - t0).toFixed(0)} ms`); }
  console.log(`pull() ${tPull.toFixed(0)} ms, JSON ${tJson.toFixed(0)} ms (${json.reduce((a, b) => a + b.length, 0)} bytes), br ${tBr.toFixed(0)} ms -> ${total} bytes; gzip ${gz.reduce((a, b) => a + b.length, 0)} bytes`);
}
await app.close(); await db.query(`drop schema ${schema} cascade`); await db.close();
