// Devices for sync tests: each an encrypted ledger in a temp folder, enrolled against the
// server of test/server/helpers/world.ts (PGlite, 127.0.0.1), signed in offline as one of
// the world's users, with a SyncEngine. Work is recorded through the ledger's own commit
// path (commitFact: fact + derived state + outbox + audit in one transaction).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { FastifyInstance } from 'fastify';
import type { PaymentMethod } from '../../shared/domain/types';
import { commitFact, stampFact } from '../../electron/ledger/commands/command';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { bindLedger, type Ledger } from '../../electron/ledger/ledger';
import { getMeta, META } from '../../electron/ledger/meta';
import { enqueueMutation } from '../../electron/ledger/outbox';
import { stmt } from '../../electron/ledger/statements';
import { enrolDevice } from '../../electron/ledger/sync/enrol';
import { signInOffline } from '../../electron/ledger/sync/sign-in';
import { SyncEngine, type SyncEngineOptions } from '../../electron/ledger/sync/sync-engine';
import { ensureSyncSchema } from '../../electron/ledger/sync/sync-schema';
import { buildApp } from '../../server/http/app';
import { nodeHttpFetch } from '../../shared/node/node-http-fetch';
import { issueEnrolmentCode } from '../../server/model/devices';
import { afterAll, beforeAll } from 'vitest';
import { testBackends } from '../server/helpers/backends';
import { createWorld, type TestUser, type World } from '../server/helpers/world';

/** A server on the world's database listening on `port` again (after a test closed it). */
export async function serveAgain(
  world: World,
  port: number,
  rateLimitPerMinute = 10_000,
): Promise<FastifyInstance> {
  const { app } = await buildApp({
    db: world.db,
    log: false,
    rateLimitPerMinute,
    enrolPerMinute: 10_000,
  });
  await app.listen({ host: '127.0.0.1', port });
  return app;
}

export interface TestDevice {
  name: string;
  dir: string;
  /** The ledger's key (a child process opens the same file with it). */
  key: Buffer;
  db: LedgerDb;
  user: TestUser;
  keys: Map<string, string>;
  engine: SyncEngine;
  /** Requests this device made, by path (counted by its fetch). */
  requests: { push: number; pull: number; bytesSent: number; bytesReceived: number };
  ledger(): Ledger;
  wiped: boolean;
  /** Opens the ledger file again (after a killed process used it) with a new engine. */
  reopen(): Promise<void>;
  close(): void;
}

export interface DeviceOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  pullLimit?: number;
  hooks?: SyncEngineOptions['hooks'];
  now?: () => number;
  /** Skews this device's clock (ledger stamps and sync times) by this many ms. */
  clockOffsetMs?: number;
}

/**
 * A head office on the first test backend, made before the file's tests and closed after
 * them with every device made or kept through it. `ready` receives the world (the file
 * keeps it in a variable of its own).
 */
export function useSyncWorld(ready: (world: World) => void): {
  device(name: string, user: TestUser, options?: DeviceOptions): Promise<TestDevice>;
  keep<T extends TestDevice>(device: T): T;
} {
  let world: World | null = null;
  const devices: TestDevice[] = [];
  beforeAll(async () => {
    world = await createWorld(await testBackends()[0]!.open());
    ready(world);
  }, 60_000);
  afterAll(async () => {
    for (const d of devices) d.close();
    if (world) {
      await world.close();
      await world.db.close();
    }
  });
  const keep = <T extends TestDevice>(device: T): T => {
    devices.push(device);
    return device;
  };
  return {
    keep,
    device: async (name, user, options) => {
      if (!world) throw new Error('the sync world is made in beforeAll');
      return keep(await makeDevice(world, name, user, options));
    },
  };
}

export async function makeDevice(
  world: World,
  name: string,
  user: TestUser,
  options: DeviceOptions = {},
): Promise<TestDevice> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fb-sync-${name}-`));
  const key = crypto.randomBytes(32);
  const db = openLedger({ file: path.join(dir, 'ledger.db'), key });
  ensureSyncSchema(db);
  const code = await world.db.transaction((tx) =>
    issueEnrolmentCode(tx, { branchId: user.branchId, issuedBy: 'test' }),
  );
  const requests = { push: 0, pull: 0, bytesSent: 0, bytesReceived: 0 };
  const baseFetch = options.fetch ?? nodeHttpFetch;
  const countingFetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/v1/sync/push')) requests.push++;
    if (url.includes('/v1/sync/pull')) requests.pull++;
    return baseFetch(input, init);
  };
  const http = {
    fetch: countingFetch,
    onBytes: (sent: number, received: number | null) => {
      requests.bytesSent += sent;
      requests.bytesReceived += received ?? 0;
    },
  };
  const baseUrl = options.baseUrl ?? world.baseUrl;
  await enrolDevice({ db, serverUrl: baseUrl, code: code.code, deviceName: name, http });
  const signedIn = await signInOffline(db, user.username, user.password, Date.now());
  if (!signedIn.ok) throw new Error(`sign-in failed: ${JSON.stringify(signedIn)}`);
  const keys = new Map([[signedIn.userId, signedIn.authKey]]);
  const now = () => Date.now() + (options.clockOffsetMs ?? 0);
  const engineFor = (ledgerDb: LedgerDb, userId: string) =>
    new SyncEngine({
      db: ledgerDb,
      signedInUserId: () => userId,
      authorKeys: () => keys,
      wipe: () => {
        device.wiped = true;
      },
      http,
      ...(options.pullLimit !== undefined && { pullLimit: options.pullLimit }),
      ...(options.hooks && { hooks: options.hooks }),
      ...(options.now && { now: options.now }),
      ...(options.clockOffsetMs !== undefined && { now }),
    });
  const device: TestDevice = {
    name,
    dir,
    key,
    db,
    user,
    keys,
    requests,
    wiped: false,
    engine: null as unknown as SyncEngine,
    ledger: () => bindLedger(device.db, { now: () => new Date(now()) }),
    reopen: async () => {
      if (device.db.open) device.db.close();
      device.db = openLedger({ file: path.join(dir, 'ledger.db'), key });
      const again = await signInOffline(device.db, user.username, user.password, Date.now());
      if (!again.ok) throw new Error(`sign-in failed: ${JSON.stringify(again)}`);
      keys.set(again.userId, again.authKey);
      device.engine = engineFor(device.db, again.userId);
    },
    close: () => {
      if (device.db.open) device.db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  device.engine = engineFor(db, signedIn.userId);
  return device;
}

let receiptCounter = 0;

export function recordPayment(
  device: TestDevice,
  caseId: string,
  amountFen: number,
  method: PaymentMethod = 'cash',
  /** A receipt number of the test's choosing (e.g. one another device already used). */
  receiptNo?: string,
): string {
  const ledger = device.ledger();
  const loanId = stmt<string>(
    ledger.db,
    'SELECT id FROM loans WHERE case_id = ? ORDER BY id LIMIT 1',
  )
    .pluck()
    .get(caseId) as string;
  return ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      const receipt =
        receiptNo ??
        `${getMeta(ledger.db, META.receiptPrefix)}-${++receiptCounter}-${uuidv7().slice(-6)}`;
      commitFact(ledger, 'payment.record', {
        ...s,
        caseId,
        recordedBy: device.user.id,
        kind: 'payment',
        payload: {
          loanId,
          amountFen,
          method,
          receiptNo: receipt,
          paidOn: s.businessDate,
          note: null,
        },
      });
      return s.id;
    })
    .immediate();
}

export function recordReversal(device: TestDevice, paymentFactId: string): string | null {
  const ledger = device.ledger();
  const paid = stmt<{ case_id: string; amount_fen: number; receipt_no: string }>(
    ledger.db,
    `SELECT case_id, amount_fen, receipt_no FROM payments p WHERE fact_id = ?
       AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
  ).get(paymentFactId);
  if (!paid) return null;
  return ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      commitFact(ledger, 'payment.reverse', {
        ...s,
        caseId: paid.case_id,
        recordedBy: device.user.id,
        kind: 'payment_reversal',
        payload: {
          reversesFactId: paymentFactId,
          reason: 'keyed in twice',
          amountFen: paid.amount_fen,
          receiptNo: paid.receipt_no,
        },
      });
      return s.id;
    })
    .immediate();
}

export function recordContact(device: TestDevice, caseId: string, note = 'visited'): string {
  const ledger = device.ledger();
  return ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      commitFact(ledger, 'contact.record', {
        ...s,
        caseId,
        recordedBy: device.user.id,
        kind: 'contact',
        payload: {
          channel: 'visit',
          party: 'borrower',
          contactPointId: null,
          outcome: 'promise_to_pay',
          note,
          nextActionDate: null,
          secondCollectorId: null,
        },
      });
      return s.id;
    })
    .immediate();
}

export function recordPromise(
  device: TestDevice,
  caseId: string,
  amountFen: number,
  dueDate: string,
): string {
  const ledger = device.ledger();
  return ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      commitFact(ledger, 'promise.record', {
        ...s,
        caseId,
        recordedBy: device.user.id,
        kind: 'promise',
        payload: { amountFen, dueDate, contactFactId: null, note: null },
      });
      return s.id;
    })
    .immediate();
}

/** A mutable-field edit (next action date) with its own HLC stamp, as record-contact makes it. */
export function setNextActionDate(device: TestDevice, caseId: string, date: string): void {
  const ledger = device.ledger();
  ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      stmt(
        ledger.db,
        `UPDATE cases SET next_action_date = ?, field_clocks = json_set(field_clocks, '$.nextActionDate', ?) WHERE id = ?`,
      ).run(date, s.hlc, caseId);
      enqueueMutation(
        ledger.db,
        {
          kind: 'case_update',
          caseId,
          userId: device.user.id,
          hlc: s.hlc,
          payload: { nextActionDate: date },
        },
        s.occurredAt,
      );
    })
    .immediate();
}

/** A reassignment fact (managers only), pushed like any other mutation. */
export function reassign(device: TestDevice, caseId: string, toOfficerId: string): void {
  const ledger = device.ledger();
  ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      const payload = {
        factKind: 'reassignment' as const,
        factId: s.id,
        occurredAt: s.occurredAt,
        toOfficerId,
      };
      // As a manager's reassignment command would: the fact and the field here, the mutation queued.
      stmt(
        ledger.db,
        `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
         VALUES (?, ?, 'reassignment', ?, ?, ?, ?, ?, ?)`,
      ).run(
        s.id,
        caseId,
        s.occurredAt,
        s.businessDate,
        device.user.id,
        s.deviceId,
        s.hlc,
        JSON.stringify(payload),
      );
      stmt(
        ledger.db,
        `UPDATE cases SET officer_id = ?, field_clocks = json_set(field_clocks, '$.officerId', ?) WHERE id = ?`,
      ).run(toOfficerId, s.hlc, caseId);
      enqueueMutation(
        ledger.db,
        {
          kind: 'fact',
          caseId,
          userId: device.user.id,
          hlc: s.hlc,
          payload,
        },
        s.occurredAt,
      );
    })
    .immediate();
}

export function caseIds(db: LedgerDb): string[] {
  return db.prepare('SELECT id FROM cases ORDER BY id').pluck().all() as string[];
}

export function paymentIds(db: LedgerDb, caseFilter?: readonly string[]): string[] {
  const all = db.prepare('SELECT fact_id, case_id FROM payments ORDER BY fact_id').all() as {
    fact_id: string;
    case_id: string;
  }[];
  return all.filter((r) => !caseFilter || caseFilter.includes(r.case_id)).map((r) => r.fact_id);
}

/** What a user would compare between two devices for one case. */
export function caseView(db: LedgerDb, caseId: string): unknown {
  return {
    c: db
      .prepare(
        `SELECT officer_id, status, next_action_date, flag_hardship, flag_vulnerable, flag_dispute, flag_do_not_contact,
           dpd, arrears_fen, outstanding_fen, promise_fact_id, promise_status FROM cases WHERE id = ?`,
      )
      .get(caseId),
    // The facts the server accepted: a refused one stays on its own device, visible, only.
    facts: db
      .prepare(
        `SELECT id FROM facts WHERE case_id = ? AND id NOT IN (
           SELECT json_extract(payload, '$.factId') FROM outbox WHERE status = 'refused' AND kind = 'fact')
         ORDER BY id`,
      )
      .pluck()
      .all(caseId),
    payments: db
      .prepare('SELECT fact_id, amount_fen FROM payments WHERE case_id = ? ORDER BY fact_id')
      .all(caseId),
  };
}

/** Every row of the tables a first download writes, in a stable order. */
export function ledgerRows(db: LedgerDb): Record<string, unknown[]> {
  const tables: Record<string, string> = {
    borrowers: 'id',
    cases: 'id',
    contact_points: 'id',
    loans: 'id',
    instalments: 'loan_id, seq',
    core_repayments: 'id',
    facts: 'id',
    contacts: 'fact_id',
    payments: 'fact_id',
    promises: 'fact_id',
    dashboard_contact_tally: 'business_date, officer_id, party, outcome',
    sync_download_seen: 'case_id',
    users: 'id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [t, order] of Object.entries(tables))
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).all();
  return out;
}
