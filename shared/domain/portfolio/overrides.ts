// Conduct-rule overrides a manager should look at: let through by an officer with a
// written reason (see the conduct rules), listed until a manager has reviewed them.
import { checkPeriod, IdArray, IdList, idsField, inPeriod, WITH_IDS, type Calc } from './common';
import type { OverrideRow, Period } from './types';

export interface OverrideList {
  count: number;
  caseIds: string[];
  factIds: string[];
}

export interface OverrideFigures {
  /** Overrides recorded in the period. */
  inPeriod: OverrideList;
  /** Overrides not yet reviewed, whenever they were recorded: the manager's queue. */
  toReview: OverrideList;
  /** Overrides in the period by rule code, most frequent first. */
  byRule: { ruleCode: string; count: number }[];
}

class OverrideListBuilder {
  private count = 0;
  private readonly cases: IdList;
  private readonly facts: IdArray;
  constructor(private readonly calc: Calc) {
    this.cases = new IdList(calc);
    this.facts = new IdArray(calc);
  }
  add(o: OverrideRow): void {
    this.count += 1;
    this.cases.add(o.caseId);
    this.facts.add(o.factId);
  }
  build(): OverrideList {
    return {
      count: this.count,
      ...idsField(this.calc, 'caseIds', () => this.cases.toArray()),
      ...idsField(this.calc, 'factIds', () => this.facts.ids ?? []),
    };
  }
}

export function overrideFigures(
  overrides: readonly OverrideRow[],
  period: Period,
): OverrideFigures {
  return computeOverrideFigures(overrides, period, WITH_IDS);
}

export function computeOverrideFigures(
  overrides: readonly OverrideRow[],
  period: Period,
  calc: Calc,
): OverrideFigures {
  checkPeriod(period);
  const recorded = new OverrideListBuilder(calc);
  const toReview = new OverrideListBuilder(calc);
  const byRule = new Map<string, number>();
  for (const o of overrides) {
    // Something recorded after the dashboard date is not known on that date.
    if (o.businessDate > period.to) continue;
    if (o.reviewedOn === null || o.reviewedOn > period.to) toReview.add(o);
    if (!inPeriod(o.businessDate, period)) continue;
    recorded.add(o);
    byRule.set(o.ruleCode, (byRule.get(o.ruleCode) ?? 0) + 1);
  }
  return {
    inPeriod: recorded.build(),
    toReview: toReview.build(),
    byRule: [...byRule]
      .map(([ruleCode, count]) => ({ ruleCode, count }))
      .sort((a, b) => b.count - a.count || (a.ruleCode < b.ruleCode ? -1 : 1)),
  };
}
