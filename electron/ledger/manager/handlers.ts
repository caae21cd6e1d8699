// Handlers of the manager's operations (shared/api/manager-contract.ts), merged into the
// ledger's handler map by api-handlers.ts. Each one refuses a caller who is not a branch
// manager or admin (AppError 'forbidden', reason 'manager_only') before doing anything.
import type { ApiHandlers } from '../../../shared/api/contract';
import type { managerOps } from '../../../shared/api/manager-contract';
import { ensureDerivedCurrent } from '../api-handlers';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { caseIdsBehind, casesBehindPage, managerDashboard } from './dashboard';
import {
  caseTable,
  dashboardTables,
  rowsOfIds,
  worklistRowsForExport,
  writeTables,
} from './export';
import { listOverrides, reviewOverride } from './overrides';
import { decidePlan } from './plan-decision';
import { listPlans } from './plans';
import { reassignCases } from './reassign';
import { requireManager } from './roles';
import { orderCaseIds } from './case-rows';

export type ManagerHandlers = Pick<ApiHandlers, keyof typeof managerOps>;

export function createManagerHandlers(ledger: Ledger): ManagerHandlers {
  const { db } = ledger;
  return {
    'manager.dashboard': (input, ctx) => {
      requireManager(ledger, ctx);
      const today = ensureDerivedCurrent(ledger);
      return managerDashboard(ledger, today, input);
    },
    'manager.casesBehind': (input, ctx) => {
      requireManager(ledger, ctx);
      const today = ensureDerivedCurrent(ledger);
      return casesBehindPage(ledger, today, input);
    },
    'manager.plans': (input, ctx) => {
      requireManager(ledger, ctx);
      ensureDerivedCurrent(ledger);
      return listPlans(db, input.status);
    },
    'plan.decide': (input, ctx) => {
      const actor = requireManager(ledger, ctx);
      ensureDerivedCurrent(ledger);
      return decidePlan(ledger, actor, input);
    },
    'cases.reassign': (input, ctx) => {
      const actor = requireManager(ledger, ctx);
      ensureDerivedCurrent(ledger);
      return reassignCases(ledger, actor, input);
    },
    'manager.overrides': (input, ctx) => {
      requireManager(ledger, ctx);
      return listOverrides(ledger, input.reviewed);
    },
    'override.review': (input, ctx) => {
      const actor = requireManager(ledger, ctx);
      return reviewOverride(ledger, actor, input);
    },
    'export.list': async (input, ctx) => {
      requireManager(ledger, ctx);
      const today = ensureDerivedCurrent(ledger);
      switch (input.kind) {
        case 'worklist':
          return writeTables(
            [caseTable(worklistRowsForExport(ledger, input.filters, today), input.lang)],
            input.format,
            input.file,
          );
        case 'cases': {
          const ids =
            input.figure !== undefined
              ? caseIdsBehind(ledger, today, {
                  figure: input.figure,
                  asOf: input.asOf,
                  officerId: input.officerId,
                })
              : orderCaseIds(db, input.caseIds ?? []);
          return writeTables(
            [caseTable(rowsOfIds(ledger, ids), input.lang)],
            input.format,
            input.file,
          );
        }
        case 'dashboard': {
          const d = managerDashboard(ledger, today, {
            asOf: input.asOf,
            officerId: input.officerId,
          });
          const names = new Map(
            stmt<[string, string]>(db, 'SELECT id, name FROM users').raw().all(),
          );
          return writeTables(
            dashboardTables(d.dashboard, names, input.lang),
            input.format,
            input.file,
          );
        }
      }
    },
  };
}
