// A small head office for server tests: two branches, users of every role, enrolled
// devices (one revoked), cases dealt out to officers, and the HTTP server listening on
// 127.0.0.1 with a client that signs requests as a device would.
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { UserRole } from '../../../shared/domain/types';
import { createPasswordCredential, type ScryptParams } from '../../../shared/node/password';
import {
  SyncHttpClient,
  signMutation,
  type DeviceCredentials,
  type SignedInUser,
} from '../../../shared/node/sync-http';
import { formatHlc } from '../../../shared/sync/hlc';
import type { Mutation } from '../../../shared/sync/protocol';
import type { Database } from '../../../server/db/database';
import { buildApp, type AppOptions } from '../../../server/http/app';
import type { ServerMetrics } from '../../../server/http/metrics';
import { createBranch, type BranchRow } from '../../../server/model/branches';
import { issueEnrolmentCode, revokeDevice } from '../../../server/model/devices';
import { addUser, disableUser } from '../../../server/model/users';
import { demoPortfolio } from '../../../server/portfolio/demo-portfolio';
import { addPortfolioCases } from '../../../server/portfolio/portfolio-writer';

/** Cheap scrypt for tests; the verifier records it, so checks use the same cost. */
export const TEST_SCRYPT: ScryptParams = { logN: 10, r: 8, p: 1 };

export interface TestUser extends SignedInUser {
  username: string;
  role: UserRole;
  branchId: string | null;
  password: string;
}

export interface TestDevice extends DeviceCredentials {
  branchId: string | null;
}

export type UserKey =
  'officerA1' | 'officerA2' | 'managerA' | 'officerB1' | 'managerB' | 'admin' | 'disabledA';
export type DeviceKey = 'a1' | 'a2' | 'b' | 'hq' | 'revoked';

export interface World {
  db: Database;
  app: FastifyInstance;
  metrics: ServerMetrics;
  baseUrl: string;
  client: SyncHttpClient;
  branches: { a: BranchRow; b: BranchRow };
  users: Record<UserKey, TestUser>;
  devices: Record<DeviceKey, TestDevice>;
  cases: { a1: string[]; a2: string[]; aUnassigned: string[]; b1: string[] };
  /** A signed mutation with the device's next mutation id. */
  mutation(
    device: TestDevice,
    user: TestUser,
    caseId: string,
    kind: string,
    payload: Record<string, unknown>,
    opts?: { hlc?: string; mutationId?: number },
  ): Mutation;
  close(): Promise<void>;
}

let hlcMillis = Date.UTC(2026, 10, 28, 8, 0, 0);
/** Increasing stamps, one per call, from a fixed day (tests never depend on the wall clock). */
export function nextHlc(node = '0123456789abcdef'): string {
  hlcMillis += 1000;
  return formatHlc({ millis: hlcMillis, counter: 0, node });
}

export function instant(offsetMinutes = 0): string {
  return new Date(Date.UTC(2026, 10, 28, 9, 0, 0) + offsetMinutes * 60_000).toISOString();
}

export async function createWorld(
  db: Database,
  appOptions: Omit<AppOptions, 'db'> = {},
): Promise<World> {
  const branches = await db.transaction(async (tx) => ({
    a: await createBranch(tx, { code: 'GZ01', name: '广州天河支行' }),
    b: await createBranch(tx, { code: 'SZ01', name: '深圳南山支行' }),
  }));
  const specs: Record<UserKey, { role: UserRole; branch: BranchRow | null; name: string }> = {
    officerA1: { role: 'officer', branch: branches.a, name: '李伟' },
    officerA2: { role: 'officer', branch: branches.a, name: '王芳' },
    managerA: { role: 'manager', branch: branches.a, name: '张敏' },
    officerB1: { role: 'officer', branch: branches.b, name: '刘洋' },
    managerB: { role: 'manager', branch: branches.b, name: '陈静' },
    admin: { role: 'admin', branch: null, name: '总行管理员' },
    disabledA: { role: 'officer', branch: branches.a, name: '赵强' },
  };
  const users = {} as Record<UserKey, TestUser>;
  for (const [key, spec] of Object.entries(specs) as [UserKey, (typeof specs)[UserKey]][]) {
    const password = `pw-${key}-secret`;
    const credential = await createPasswordCredential(password, TEST_SCRYPT);
    const row = await db.transaction((tx) =>
      addUser(tx, {
        branchId: spec.branch?.id ?? null,
        username: key.toLowerCase(),
        name: spec.name,
        role: spec.role,
        credential,
      }),
    );
    users[key] = {
      id: row.id,
      username: row.username,
      role: spec.role,
      branchId: row.branch_id,
      password,
      authKey: credential.authKey,
    };
  }

  const a1 = demoPortfolio({
    count: 3,
    officerIds: [users.officerA1.id],
    seed: 11,
    loanNoPrefix: 'A1',
  });
  const a2 = demoPortfolio({
    count: 2,
    officerIds: [users.officerA2.id],
    seed: 12,
    loanNoPrefix: 'A2',
  });
  const aU = demoPortfolio({ count: 2, officerIds: [], seed: 13, loanNoPrefix: 'AU' });
  const b1 = demoPortfolio({
    count: 2,
    officerIds: [users.officerB1.id],
    seed: 14,
    loanNoPrefix: 'B1',
  });
  // Disabled only after the cases are dealt out (the portfolio writer wants active officers).
  const cases = await db.transaction(async (tx) => ({
    a1: await addPortfolioCases(tx, branches.a.id, a1, { assignedBy: 'test' }),
    a2: await addPortfolioCases(tx, branches.a.id, a2, { assignedBy: 'test' }),
    aUnassigned: await addPortfolioCases(tx, branches.a.id, aU, { assignedBy: 'test' }),
    b1: await addPortfolioCases(tx, branches.b.id, b1, { assignedBy: 'test' }),
  }));
  await db.transaction((tx) => disableUser(tx, users.disabledA.username));

  const { app, metrics } = await buildApp({
    db,
    log: false,
    rateLimitPerMinute: 10_000,
    enrolPerMinute: 10_000,
    ...appOptions,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const client = new SyncHttpClient({ baseUrl });

  const enrol = async (branch: BranchRow | null, name: string): Promise<TestDevice> => {
    const issued = await db.transaction((tx) =>
      issueEnrolmentCode(tx, { branchId: branch?.id ?? null, issuedBy: 'test' }),
    );
    const enrolled = await client.enrol(issued.code, name);
    return {
      deviceId: enrolled.deviceId,
      deviceToken: enrolled.deviceToken,
      branchId: branch?.id ?? null,
    };
  };
  const devices: Record<DeviceKey, TestDevice> = {
    a1: await enrol(branches.a, 'A1 laptop'),
    a2: await enrol(branches.a, 'A2 laptop'),
    b: await enrol(branches.b, 'B laptop'),
    hq: await enrol(null, 'HQ laptop'),
    revoked: await enrol(branches.a, 'lost laptop'),
  };
  await db.transaction((tx) => revokeDevice(tx, devices.revoked.deviceId, 'test'));

  const nextIds = new Map<string, number>();
  return {
    db,
    app,
    metrics,
    baseUrl,
    client,
    branches,
    users,
    devices,
    cases,
    mutation(device, user, caseId, kind, payload, opts = {}) {
      const id = opts.mutationId ?? (nextIds.get(device.deviceId) ?? 0) + 1;
      nextIds.set(device.deviceId, Math.max(id, nextIds.get(device.deviceId) ?? 0));
      return signMutation(user.authKey, {
        deviceId: device.deviceId,
        mutationId: id,
        userId: user.id,
        kind,
        caseId,
        payload,
        hlc: opts.hlc ?? nextHlc(),
      });
    },
    async close() {
      await app.close();
    },
  };
}

export function contactPayload(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    factKind: 'contact',
    factId: uuidv7(),
    occurredAt: instant(),
    channel: 'visit',
    party: 'borrower',
    outcome: 'promise_to_pay',
    ...extra,
  };
}

export async function loanOf(db: Database, caseId: string): Promise<string> {
  const rows = await db.query<{ id: string }>(
    'select id from loans where case_id = $1 order by id limit 1',
    [caseId],
  );
  if (!rows[0]) throw new Error(`no loan on ${caseId}`);
  return rows[0].id;
}

export function paymentPayload(
  loanId: string,
  receiptNo: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    factKind: 'payment',
    factId: uuidv7(),
    occurredAt: instant(),
    loanId,
    paidOn: '2026-11-28',
    amountFen: 50_000,
    method: 'cash',
    receiptNo,
    ...extra,
  };
}
