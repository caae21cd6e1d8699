// What a portfolio import writes, made cheaper to write (and to read):
// - A loan snapshot's schedule is stored as json (its text, kept as written) rather than
//   jsonb. Nothing on the server queries inside a schedule: the import writes it (one per
//   loan and business day, ~3.5 kB) and device pulls read it whole. jsonb made PostgreSQL
//   parse every schedule into its binary form on write (~2.1 s of the backend's CPU per
//   100,000-row import) and print it back on every read; json only checks the text. json
//   has no equality operator: schedules are compared as ::text (the import writes the same
//   text for the same figures, server/portfolio/import-chunk.ts scheduleJson).
// - A change row may be a 'bundle': the whole case (borrower, contact points, loans, latest
//   snapshots, facts) as it is when pulled, one row instead of one per record. The import
//   writes one per case it creates (5.6 rows a loan before: 560,000 for 100,000 loans).
import { runStatements, type Migration } from './migration';

export const migration: Migration = {
  id: '2026-12-02-0003-import-feed-and-schedules',
  up: (tx) =>
    runStatements(tx, [
      'alter table loan_snapshots alter column schedule type json using schedule::json',
      'alter table changes drop constraint changes_change_kind_check',
      `alter table changes add constraint changes_change_kind_check check (change_kind in ('upsert', 'assignment', 'bundle'))`,
    ]),
  down: (tx) =>
    runStatements(tx, [
      'alter table loan_snapshots alter column schedule type jsonb using schedule::jsonb',
      // An older server knows no bundles: each is spelled out as the rows it stands for,
      // appended under the feed lock (server/sync/change-feed.ts) so devices still get them
      // (a device that already has them gets them again: every item is an upsert).
      'select pg_advisory_xact_lock(7270002)',
      `insert into changes (entity, entity_id, change_kind, branch_id, case_id, officer_id)
       select v.entity, v.id, 'upsert', b.branch_id, b.case_id, b.officer_id
         from changes b
         cross join lateral (
           select 1, 'borrower', c.borrower_id from cases c where c.id = b.case_id
           union all select 2, 'case', b.case_id
           union all select 3, 'contact_point', p.id from cases c join contact_points p on p.borrower_id = c.borrower_id where c.id = b.case_id
           union all select 4, 'loan', l.id from loans l where l.case_id = b.case_id
           union all select 5, 'loan_snapshot', s.id from loans l join loan_snapshots s on s.loan_id = l.id where l.case_id = b.case_id
         ) as v(rank, entity, id)
        where b.change_kind = 'bundle'
        order by b.seq, v.rank, v.id`,
      `delete from changes where change_kind = 'bundle'`,
      'alter table changes drop constraint changes_change_kind_check',
      `alter table changes add constraint changes_change_kind_check check (change_kind in ('upsert', 'assignment'))`,
    ]),
};
