// A manager's review of a conduct override travels as an 'override_review' fact (its
// related fact is the contact recorded with the override): one review per contact, like
// one reversal per payment and one decision per plan.
import { runStatements, type Migration } from './migration';

const KINDS = `'contact','promise','payment','payment_reversal','plan_proposal','plan_decision','note','reassignment','flag_change'`;

export const migration: Migration = {
  id: '2026-12-01-0002-override-review',
  up: (tx) =>
    runStatements(tx, [
      'alter table facts drop constraint facts_kind_check',
      `alter table facts add constraint facts_kind_check check (kind in (${KINDS},'override_review'))`,
      `create unique index facts_one_review_per_override on facts (related_fact_id) where kind = 'override_review'`,
    ]),
  down: (tx) =>
    runStatements(tx, [
      `delete from facts where kind = 'override_review'`,
      'drop index facts_one_review_per_override',
      'alter table facts drop constraint facts_kind_check',
      `alter table facts add constraint facts_kind_check check (kind in (${KINDS}))`,
    ]),
};
