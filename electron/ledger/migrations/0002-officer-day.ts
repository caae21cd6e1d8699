// Schema v2: what the officer's day needs on top of v1.
//
// - Search: borrowers get their name in pinyin (initials and full syllables, computed in
//   JS when a borrower is written, backfilled here), and an optional time zone for the
//   conduct rules. cases.search_text holds what a search matches, lower case and
//   '|'-separated: name, pinyin initials, full pinyin, every phone number of the
//   borrower's contact points (digits only) and every loan number. Triggers keep it
//   current whenever a case, borrower, contact point or loan row changes, so an import
//   or a sync that writes reference rows cannot forget it. Derived: never set by hand.
//   It sits on the case row (not a table of its own) so that the worklist's covering
//   index carries it: a search is one scan of that index, with no lookups per match.
// - Route order: cases.route_key orders township, then village, in pinyin order; the
//   worklist's "group by village" reads its first page straight off an index on it.
// - Overrides: a contact recorded against a conduct rule with a written reason (the
//   contact fact carries the override; this table makes them queryable for the manager).
// - Plans: proposals (a plan_proposal fact each) and the decisions on them, so a plan's
//   status is derived, never edited.
// - Worklist filters (promise due / overdue, not contacted in N days, hardship, follow-up
//   due) read the derived columns; a covering index over open cases in priority order
//   lets a filtered page and its count be answered from the index alone.
import type { LedgerDb } from '../db';
import { namePinyin, routeKey } from '../pinyin';

const APPEND_ONLY_TABLES = ['overrides', 'plan_proposals', 'plan_decisions'] as const;

/**
 * The search text of the case row being written (as `cases` in an UPDATE): '|name|
 * initials|pinyin|phones|loan numbers|', lower case; phone numbers as digits (spaces,
 * dashes, '+' and brackets dropped).
 */
const SEARCH_TEXT_OF_CASE = `(
  SELECT '|' || lower(b.name) || '|' || ifnull(b.name_initials, '') || '|' || ifnull(b.name_pinyin, '') || '|' ||
    ifnull((SELECT group_concat(replace(replace(replace(replace(replace(cp.value, ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '|')
            FROM contact_points cp WHERE cp.borrower_id = b.id AND cp.kind <> 'address'), '') || '|' ||
    ifnull((SELECT group_concat(lower(l.loan_no), '|') FROM loans l WHERE l.case_id = cases.id), '') || '|'
  FROM borrowers b WHERE b.id = cases.borrower_id)`;

function refreshSearchText(where: string): string {
  return `UPDATE cases SET search_text = ifnull(${SEARCH_TEXT_OF_CASE}, '') WHERE ${where};`;
}

export const migration0002 = {
  version: 2,
  name: 'officer-day',
  up(db: LedgerDb): void {
    db.exec(`
      ALTER TABLE borrowers ADD COLUMN name_pinyin TEXT;
      -- IANA zone of the borrower when it differs from the branch's (conduct rules use it).
      ALTER TABLE borrowers ADD COLUMN time_zone TEXT;
      ALTER TABLE cases ADD COLUMN route_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
    `);

    const borrowers = db.prepare('SELECT id, name FROM borrowers').all() as {
      id: string;
      name: string;
    }[];
    const setPinyin = db.prepare(
      'UPDATE borrowers SET name_initials = ?, name_pinyin = ? WHERE id = ?',
    );
    for (const b of borrowers) {
      const p = namePinyin(b.name);
      setPinyin.run(p.initials, p.full, b.id);
    }
    const places = db.prepare('SELECT DISTINCT township, village FROM cases').all() as {
      township: string;
      village: string;
    }[];
    const setRoute = db.prepare(
      'UPDATE cases SET route_key = ? WHERE township = ? AND village = ?',
    );
    for (const p of places) setRoute.run(routeKey(p.township, p.village), p.township, p.village);

    db.exec(`
      ${refreshSearchText('1')}

      CREATE TRIGGER cases_search_on_insert AFTER INSERT ON cases
      BEGIN ${refreshSearchText('id = NEW.id')} END;
      CREATE TRIGGER cases_search_on_borrower_change AFTER UPDATE OF borrower_id ON cases
      BEGIN ${refreshSearchText('id = NEW.id')} END;
      CREATE TRIGGER borrowers_search_on_update AFTER UPDATE OF name, name_initials, name_pinyin ON borrowers
      BEGIN ${refreshSearchText('borrower_id = NEW.id')} END;
      CREATE TRIGGER contact_points_search_on_insert AFTER INSERT ON contact_points
      BEGIN ${refreshSearchText('borrower_id = NEW.borrower_id')} END;
      CREATE TRIGGER contact_points_search_on_update AFTER UPDATE OF value, kind, borrower_id ON contact_points
      BEGIN ${refreshSearchText('borrower_id IN (OLD.borrower_id, NEW.borrower_id)')} END;
      CREATE TRIGGER contact_points_search_on_delete AFTER DELETE ON contact_points
      BEGIN ${refreshSearchText('borrower_id = OLD.borrower_id')} END;
      CREATE TRIGGER loans_search_on_insert AFTER INSERT ON loans
      BEGIN ${refreshSearchText('id = NEW.case_id')} END;
      CREATE TRIGGER loans_search_on_update AFTER UPDATE OF loan_no, case_id ON loans
      BEGIN ${refreshSearchText('id IN (OLD.case_id, NEW.case_id)')} END;
      CREATE TRIGGER loans_search_on_delete AFTER DELETE ON loans
      BEGIN ${refreshSearchText('id = OLD.case_id')} END;

      -- Group by village: township, village (pinyin order), then priority; with the search
      -- text, so a search grouped by village is read from the index alone too.
      CREATE INDEX cases_worklist_route ON cases (route_key, priority_score DESC, id, search_text) WHERE status = 'open';
      -- An officer's own route (the common case: "my cases, by village").
      CREATE INDEX cases_worklist_officer_route ON cases (officer_id, route_key, priority_score DESC, id) WHERE status = 'open';
      -- Every column the worklist filters and searches on, in priority order: a filtered or
      -- searched first page and its count are read from this index alone, never from the
      -- (wide) case rows.
      CREATE INDEX cases_worklist_filters ON cases (
        priority_score DESC, id, officer_id, township, village, bucket, promise_status,
        promise_due_date, last_contact_on, next_action_date, flag_hardship, search_text
      ) WHERE status = 'open';

      CREATE TABLE overrides (
        contact_fact_id TEXT PRIMARY KEY REFERENCES facts(id),
        case_id         TEXT NOT NULL REFERENCES cases(id),
        at              TEXT NOT NULL,
        recorded_by     TEXT NOT NULL REFERENCES users(id),
        -- JSON array of the conduct rule codes that were overridden
        rule_codes      TEXT NOT NULL,
        reason          TEXT NOT NULL
      );
      CREATE INDEX overrides_case ON overrides (case_id, at);
      CREATE INDEX overrides_at ON overrides (at);

      CREATE TABLE plan_proposals (
        fact_id        TEXT PRIMARY KEY REFERENCES facts(id),
        case_id        TEXT NOT NULL REFERENCES cases(id),
        loan_id        TEXT NOT NULL REFERENCES loans(id),
        proposed_at    TEXT NOT NULL,
        monthly_fen    INTEGER NOT NULL CHECK (monthly_fen > 0),
        months         INTEGER NOT NULL CHECK (months > 0),
        total_fen      INTEGER NOT NULL CHECK (total_fen > 0),
        first_due_date TEXT NOT NULL
      );
      CREATE INDEX plan_proposals_case ON plan_proposals (case_id, proposed_at);

      CREATE TABLE plan_decisions (
        fact_id          TEXT PRIMARY KEY REFERENCES facts(id),
        case_id          TEXT NOT NULL REFERENCES cases(id),
        -- UNIQUE: a proposal is decided once
        proposal_fact_id TEXT NOT NULL UNIQUE REFERENCES plan_proposals(fact_id),
        decision         TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
        decided_at       TEXT NOT NULL
      );
      CREATE INDEX plan_decisions_case ON plan_decisions (case_id);
    `);
    for (const table of APPEND_ONLY_TABLES) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correcting fact instead'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correcting fact instead'); END;
      `);
    }
  },
};
