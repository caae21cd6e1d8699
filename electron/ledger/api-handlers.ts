// The ledger's implementation of every operation in shared/api/contract.ts. Inputs
// arrive validated by dispatch(); ctx.userId is set by the transport from the session.
import type { AppInfo, ApiHandlers, CallContext, UserSummary } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import type { IsoDate, UserRole } from '../../shared/domain/types';
import { requireActor, requireOpenCase } from './commands/command';
import { proposePlan } from './commands/propose-plan';
import { recordContact } from './commands/record-contact';
import { recordNote } from './commands/record-note';
import { recordPayment } from './commands/record-payment';
import { recordPromise } from './commands/record-promise';
import { reversePayment } from './commands/reverse-payment';
import { setFlags } from './commands/set-flags';
import { checkCaseContact, checkSecondCollector, contactPointOfCase } from './conduct';
import { refreshDerived } from './derive';
import { ledgerToday, type Ledger } from './ledger';
import { warmDashboard } from './manager/dashboard';
import { createManagerHandlers } from './manager/handlers';
import { positionsValidOn } from './manager/loan-positions';
import { ensureClosedDaySnapshots } from './manager/snapshots';
import { createImportHandlers } from './import/handlers';
import { getMeta, META } from './meta';
import { schemaVersion } from './migrations';
import { caseFile } from './queries/case-file';
import { worklistFacets } from './queries/facets';
import { receipt } from './queries/receipt';
import { worklistPage } from './queries/worklist';
import { stmt } from './statements';

export interface LedgerHandlerOptions {
  keyStorage: AppInfo['keyStorage'];
  appVersion: string;
}

/**
 * Derived state is for one business date. When the date has moved on (first call after
 * midnight, or a ledger opened on a new day) every case is recomputed before answering.
 */
export function ensureDerivedCurrent(ledger: Ledger): IsoDate {
  const today = ledgerToday(ledger);
  if (getMeta(ledger.db, META.derivedAsOf) !== today) {
    refreshDerived(ledger.db, today, ledger.policy);
    // Where the manager's dashboard is used (its loan positions exist), the closed days'
    // snapshots and the positions are brought to the new day now, not by its first call.
    // The branch dashboard is then computed once and kept in memory, so the manager's
    // first dashboard of the day answers from it and later changes patch it.
    if (positionsValidOn(ledger.db) !== null) {
      ensureClosedDaySnapshots(ledger, today);
      warmDashboard(ledger, today);
    }
  }
  return today;
}

function userSummary(ledger: Ledger, id: string): UserSummary | null {
  const row = stmt<{ id: string; name: string; role: UserRole }>(
    ledger.db,
    'SELECT id, name, role FROM users WHERE id = ? AND active = 1',
  ).get(id);
  return row ? { id: row.id, name: row.name, role: row.role } : null;
}

function requireCaller(ledger: Ledger, ctx: CallContext): UserSummary {
  const user = userSummary(ledger, ctx.userId);
  if (!user)
    throw new AppError('forbidden', 'Sign in as a user of this branch', { reason: 'unknown_user' });
  return user;
}

/** Drops the keys whose value is undefined (exactOptionalPropertyTypes: absent, not undefined). */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

export function createLedgerHandlers(ledger: Ledger, options: LedgerHandlerOptions): ApiHandlers {
  const { db } = ledger;
  return {
    'app.info': (_input, ctx) => {
      const currentUser = requireCaller(ledger, ctx);
      const today = ensureDerivedCurrent(ledger);
      const officers = stmt<UserSummary>(
        db,
        `SELECT id, name, role FROM users WHERE role = 'officer' AND active = 1 ORDER BY login`,
      ).all();
      const caseCount =
        stmt<number>(db, `SELECT count(*) FROM cases WHERE status = 'open'`).pluck().get() ?? 0;
      const b = ledger.branch;
      return {
        appVersion: options.appVersion,
        schemaVersion: schemaVersion(db),
        branch: { id: b.id, code: b.code, name: b.name, timezone: b.timezone },
        today,
        currentUser,
        officers,
        demo: getMeta(db, META.demo) === '1',
        keyStorage: options.keyStorage,
        caseCount,
      };
    },
    'worklist.facets': (_input, ctx) => {
      requireCaller(ledger, ctx);
      ensureDerivedCurrent(ledger);
      return worklistFacets(db, ledger.policy);
    },
    'worklist.list': (input, ctx) => {
      requireCaller(ledger, ctx);
      const today = ensureDerivedCurrent(ledger);
      return worklistPage(db, input, today);
    },
    'case.get': (input, ctx) => {
      requireCaller(ledger, ctx);
      const today = ensureDerivedCurrent(ledger);
      return caseFile(db, input.caseId, today, ledger.policy);
    },
    'contact.record': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return recordContact(ledger, ctx.userId, defined(input));
    },
    'contact.check': (input, ctx) => {
      const actor = requireActor(ledger, ctx.userId);
      ensureDerivedCurrent(ledger);
      const kase = requireOpenCase(ledger, input.caseId);
      const cp =
        input.contactPointId !== undefined
          ? contactPointOfCase(ledger, kase, input.contactPointId)
          : null;
      checkSecondCollector(ledger, actor, input.channel, input.secondCollectorId);
      return checkCaseContact(ledger, kase, input, cp, ledger.clock.now());
    },
    'promise.record': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return recordPromise(ledger, ctx.userId, defined(input));
    },
    'payment.record': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return recordPayment(ledger, ctx.userId, defined(input));
    },
    'payment.reverse': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return reversePayment(ledger, ctx.userId, input);
    },
    'receipt.get': (input, ctx) => {
      requireCaller(ledger, ctx);
      ensureDerivedCurrent(ledger);
      return receipt(ledger, input.paymentFactId);
    },
    'plan.propose': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return proposePlan(ledger, ctx.userId, defined(input));
    },
    'note.record': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return recordNote(ledger, ctx.userId, input);
    },
    'case.setFlags': (input, ctx) => {
      ensureDerivedCurrent(ledger);
      return setFlags(ledger, ctx.userId, { ...input, flags: defined(input.flags) });
    },
    'policy.get': (_input, ctx) => {
      requireCaller(ledger, ctx);
      return ledger.policy.pack;
    },
    ...createManagerHandlers(ledger),
    ...createImportHandlers(ledger),
  };
}
