// Fills a freshly migrated ledger with a demo branch: deterministic for a seed (every
// id, name, amount and instant comes from the seeded PRNG and `today`), written in one
// transaction with derived state computed once at the end.
import { addDays } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
import { appendAudit } from '../audit';
import type { LedgerDb } from '../db';
import { refreshDerived } from '../derive';
import { formatHlc } from '../../../shared/sync/hlc';
import { META, setMeta } from '../meta';
import { ledgerPolicyFor } from '../policy';
import { initBranch } from '../seed';
import { demoUuidV7 } from './ids';
import { DEMO_COUNTY } from './places';
import { generateCase, writeFieldPayments, type PortfolioContext } from './portfolio';
import { Prng } from './prng';
import { makeStaff, type DemoStaffMember } from './staff';

export interface DemoOptions {
  seed?: number;
  cases?: number;
  officers?: number;
  /** The business date the portfolio is "as of": history ends the day before. */
  today: IsoDate;
  /** Contact-history density; 1 is a realistic branch (~7 facts per case). */
  activity?: number;
  /** Whose device the demo ledger is: the first field officer's (default) or the manager's. */
  signedInAs?: 'officer' | 'manager';
}

export interface DemoSummary {
  cases: number;
  facts: number;
  officers: number;
  seed: number;
  today: IsoDate;
  currentUserId: string;
  ms: number;
}

export const DEMO_BRANCH = {
  code: 'PA-CG01',
  name: '平安县农村商业银行 城关支行',
  county: DEMO_COUNTY,
  timezone: 'Asia/Shanghai',
  policyPackId: 'cn-default',
} as const;

export function generateDemo(db: LedgerDb, options: DemoOptions): DemoSummary {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const caseCount = options.cases ?? 2000;
  const officerCount = options.officers ?? 12;
  if (!Number.isInteger(caseCount) || caseCount < 1 || caseCount > 1_000_000)
    throw new RangeError('cases must be 1..1,000,000');
  const prng = new Prng(seed);
  const startOfToday = Date.parse(`${options.today}T00:00:00+08:00`);
  const branchId = demoUuidV7(Date.parse('2020-01-01T00:00:00Z'), prng);
  const staff = makeStaff(prng, officerCount, Date.parse('2020-01-01T00:00:00Z'));
  const me: DemoStaffMember =
    options.signedInAs === 'manager' ? staff.manager : (staff.officers[0] as DemoStaffMember);
  const policy = ledgerPolicyFor(DEMO_BRANCH.policyPackId);

  // A generated file is only renamed into place once complete, so durability of each
  // write does not matter here; FULL is restored before anyone else opens it.
  db.pragma('synchronous = OFF');
  // Rows arrive in random key order (one case at a time, ids by date): a large page cache
  // keeps the index B-trees in memory instead of thrashing the disk.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  try {
    db.transaction(() => {
      initBranch(db, {
        branch: { id: branchId, ...DEMO_BRANCH },
        users: [...staff.officers, staff.manager].map((u) => ({
          id: u.id,
          login: u.login,
          name: u.name,
          role: u.role,
        })),
        currentUserId: me.id,
        demo: true,
      });
      const ctx: PortfolioContext = {
        db,
        prng,
        today: options.today,
        branchId,
        staff,
        activity: options.activity ?? 1,
        promiseGraceDays: policy.promiseGraceDays,
        loanSeq: 0,
        rowMs: Date.parse(`${addDays(options.today, -30)}T00:00:00Z`),
        fieldPayments: [],
      };
      for (let i = 0; i < caseCount; i++) generateCase(ctx);
      writeFieldPayments(ctx);

      // This ledger is `me`'s device: its receipts continue where the history left off.
      setMeta(db, META.deviceId, me.deviceId);
      setMeta(db, META.receiptPrefix, me.receiptPrefix);
      setMeta(db, META.receiptSeq, String(me.receiptSeq));
      setMeta(db, META.hlcLast, formatHlc({ millis: startOfToday, counter: 0, node: me.hlcNode }));
      refreshDerived(db, options.today, policy);
      appendAudit(db, {
        at: new Date(startOfToday).toISOString(),
        actorId: me.id,
        deviceId: me.deviceId,
        action: 'demo.generate',
        entity: 'branch',
        entityId: branchId,
        payload: {
          seed,
          cases: caseCount,
          officers: officerCount,
          today: options.today,
          historyUntil: addDays(options.today, -1),
        },
      });
    }).immediate();
    // Table statistics let the planner pick the worklist indexes the migration made.
    db.pragma('analysis_limit = 1000');
    db.exec('ANALYZE');
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma('synchronous = FULL');
  }
  const facts = db.prepare('SELECT count(*) FROM facts').pluck().get() as number;
  return {
    cases: caseCount,
    facts,
    officers: officerCount,
    seed,
    today: options.today,
    currentUserId: me.id,
    ms: performance.now() - started,
  };
}
