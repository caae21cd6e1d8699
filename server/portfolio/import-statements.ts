// The database half of a portfolio import: a handful of set-based statements per chunk of
// rows, whatever the chunk's size, and a few at the end. No statement is issued per row.
//
// A chunk's columns travel as arrays into the temporary table import_chunk, and the same
// statement looks the loan numbers up (known loan or new). Every later statement of the
// chunk reads import_chunk: new loans are inserted, known loans updated where the file
// differs, and each statement that writes stages its change rows (import_changes) in the
// same statement; a new case is staged once, as a bundle (the whole case: its borrower,
// phones, loan and snapshot need no rows of their own). The staged rows go to the feed last, under the feed lock, carrying the
// officer each case ends up with (server/sync/change-feed.ts).
import { stampAfter } from '../../shared/sync/hlc';
import type { SqlParam, Transaction } from '../db/database';
import { ServerError } from '../errors';
import { FEED_LOCK } from '../sync/change-feed';
import { newId } from '../model/ids';
import type { ChunkColumns, ChunkContacts, PreparedChunk } from './import-chunk';

export interface ImportCounts {
  rowsRead: number;
  loansCreated: number;
  loansUpdated: number;
  /** Rows the file has but the import left out (rejected, duplicates, summary lines). */
  rowsLeftOut: number;
  loansClosed: number;
  casesOpened: number;
  casesReopened: number;
  casesClosed: number;
  casesAssigned: number;
  /** Loans whose rebuilt schedule could not show all of the file's figures (arrears and DPD win). */
  snapshotsApproximate: number;
  changeRows: number;
}

// The chunk's columns, in the order of ChunkColumns (import-chunk.ts); n is the row's position.
const CHUNK_COLUMNS: readonly [string, string][] = [
  ['loan_no', 'text'],
  ['name', 'text'],
  ['id_no', 'text'],
  ['township', 'text'],
  ['village', 'text'],
  ['county', 'text'],
  ['address', 'text'],
  ['product', 'text'],
  ['principal', 'bigint'],
  ['disbursed', 'date'],
  ['term', 'int'],
  ['as_of', 'date'],
  ['outstanding', 'bigint'],
  ['delinquent', 'boolean'],
  ['officer', 'text'],
  ['borrower_new', 'text'],
  ['case_new', 'text'],
  ['loan_new', 'text'],
  ['snap_new', 'text'],
  ['assign_new', 'text'],
];
const CHUNK_TABLE = CHUNK_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
const CHUNK_NAMES = CHUNK_COLUMNS.map(([name]) => name).join(', ');
// $1 is the branch; the columns are $2 …
const CHUNK_UNNEST = `unnest(${CHUNK_COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
  with ordinality as t(${CHUNK_NAMES}, n)`;

// The schedules travel to the snapshot statement only, as ONE text ($1) of JSON documents
// one per line (JSON.stringify never writes a raw line break), in chunk order. Splitting on
// line breaks is a scan for one byte; each schedule is then checked once as the json it is
// stored as (kept as text: migration 0003). (Sent as one JSON array, the text was parsed
// three times: validated as json, split into elements, then each element again as jsonb.)
const SCHEDULES = `string_to_table($1::text, E'\\n') with ordinality as j(schedule, n)
  join import_chunk k on k.n = j.n`;

function columnParams(c: ChunkColumns): SqlParam[] {
  return [
    c.loanNo,
    c.name,
    c.idNo,
    c.township,
    c.village,
    c.county,
    c.address,
    c.product,
    c.principal,
    c.disbursed,
    c.term,
    c.asOf,
    c.outstanding,
    c.delinquent,
    c.officer,
    c.borrowerNew,
    c.caseNew,
    c.loanNew,
    c.snapNew,
    c.assignNew,
  ];
}

/** Temporary, dropped at commit: a second import in the same session starts clean. */
export async function createScratchTables(tx: Transaction, full: boolean): Promise<void> {
  // A snapshot's schedule (json text, ~3.5 kB for a 20-month loan) is over the TOAST threshold
  // and compressed as it is written: with lz4, where the server has it, rather than the
  // default pglz, which costs about 1.2 s of the server's CPU per 100,000 snapshots. For
  // this transaction only (set_config … true); readers decompress either kind. PGlite is
  // built without lz4: the statement then sets nothing.
  await tx.query(
    `select set_config('default_toast_compression', 'lz4', true) from pg_settings
      where name = 'default_toast_compression' and 'lz4' = any(enumvals)`,
  );
  // A chunk's schedules (~3.4 MB of text) are split in memory, not in a temporary file; the
  // staged change rows are put in order in memory at the end (a few hundred thousand
  // narrow rows). For this transaction only.
  await tx.query(`select set_config('work_mem', '64MB', true)`);
  // Each statement joins a chunk (2,000 rows) to a big table by key. At the default cost of
  // a random page (4, a spinning disk's) the planner hashes the whole big table for every
  // chunk (77 ms a chunk for 100,000 borrowers) rather than look 2,000 keys up (4 ms):
  // priced as on an SSD, or cached pages, it looks them up.
  await tx.query(`select set_config('random_page_cost', '1.1', true)`);
  // No JIT compilation: a statement over one chunk runs in milliseconds, but when the
  // planner's estimates are off (a table filled since it was last analyzed, as right after
  // a first load) its cost passes jit_above_cost and PostgreSQL spends ~2 s of CPU compiling
  // and optimizing it, per statement and chunk (10 s of a re-import's contact check). For
  // this transaction only; a server built without JIT (PGlite) has the setting too.
  await tx.query(`select set_config('jit', 'off', true) from pg_settings where name = 'jit'`);
  await tx.query(`create temp table import_chunk (${CHUNK_TABLE}, n int,
      loan_id text, case_id text, borrower_id text, known boolean, loan_branch text) on commit drop`);
  // officer_id / prev_officer_id are set on 'assignment' rows only; other rows take the
  // case's officer when they are appended to the feed.
  await tx.query(`create temp table import_changes (
      ord bigserial, entity text not null, entity_id text not null, change_kind text not null default 'upsert',
      case_id text, officer_id text, prev_officer_id text) on commit drop`);
  if (full)
    await tx.query(`create temp table import_seen (loan_no text primary key) on commit drop`);
}

async function count(tx: Transaction, sql: string, params: SqlParam[]): Promise<number> {
  const rows = await tx.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

export class ImportStatements {
  readonly counts: ImportCounts = {
    rowsRead: 0,
    loansCreated: 0,
    loansUpdated: 0,
    rowsLeftOut: 0,
    loansClosed: 0,
    casesOpened: 0,
    casesReopened: 0,
    casesClosed: 0,
    casesAssigned: 0,
    snapshotsApproximate: 0,
    changeRows: 0,
  };
  private readonly stamp: string;
  private readonly checkedOfficers = new Set<string>();

  constructor(
    private readonly tx: Transaction,
    private readonly branchId: string,
    private readonly assignedBy: string,
    private readonly now: Date,
  ) {
    this.stamp = stampAfter(null, now.getTime());
  }

  async writeChunk(chunk: PreparedChunk): Promise<void> {
    const { tx } = this;
    if (chunk.seen.length > 0) {
      await tx.query(
        'insert into import_seen (loan_no) select unnest($1::text[]) on conflict do nothing',
        [chunk.seen],
      );
    }
    if (chunk.rows === 0) return;
    await this.checkOfficers(chunk.officers);
    this.counts.snapshotsApproximate += chunk.approximate;

    await tx.query('truncate import_chunk');
    const filled = await tx.query<{
      known: number;
      opened: number;
      assigned: number;
      foreign_loan: string | null;
    }>(
      `with ins as (
         insert into import_chunk
         select t.*, coalesce(l.id, t.loan_new), coalesce(l.case_id, t.case_new),
                coalesce(l.borrower_id, t.borrower_new), l.id is not null, l.branch_id
           from ${CHUNK_UNNEST}
           -- One index lookup per row (limit 1 keeps the planner from turning this into a
           -- hash join, which reads every loan of the server for every chunk).
           left join lateral (select l.id, l.case_id, l.borrower_id, l.branch_id from loans l
                               where l.loan_no = t.loan_no limit 1) l on true
         returning loan_no, known, loan_branch, delinquent, officer)
       select count(*) filter (where known)::int as known,
              count(*) filter (where not known and delinquent)::int as opened,
              count(*) filter (where not known and delinquent and officer is not null)::int as assigned,
              min(loan_no) filter (where known and loan_branch <> $1) as foreign_loan
         from ins`,
      [this.branchId, ...columnParams(chunk.columns)],
    );
    const f = filled[0] ?? { known: 0, opened: 0, assigned: 0, foreign_loan: null };
    if (f.foreign_loan !== null) {
      throw new ServerError(
        'conflict',
        `Loan ${f.foreign_loan} belongs to another branch: nothing was imported`,
      );
    }
    this.counts.loansUpdated += f.known;
    if (f.known < chunk.rows) {
      this.counts.loansCreated += chunk.rows - f.known;
      this.counts.casesOpened += f.opened;
      this.counts.casesAssigned += f.assigned;
      await this.insertNew(f.assigned > 0);
    }
    if (f.known > 0) await this.updateKnownCases();
    await this.writeLoansAndSnapshots(
      f.known < chunk.rows,
      f.known > 0,
      chunk.columns.schedule.join('\n'),
    );
    await this.writeBorrowers(f.known < chunk.rows, f.known > 0, chunk.contacts);
  }

  /** The file's officers must be active officers of the branch (asked once per officer). */
  private async checkOfficers(officers: ReadonlySet<string>): Promise<void> {
    const unchecked = [...officers].filter((id) => !this.checkedOfficers.has(id));
    if (unchecked.length === 0) return;
    const ok = await this.tx.query<{ id: string }>(
      `select id from users where id = any($1::text[]) and branch_id = $2 and role = 'officer' and disabled_at is null`,
      [unchecked, this.branchId],
    );
    if (ok.length !== unchecked.length)
      throw new ServerError(
        'invalid_argument',
        'Every officer must be an active officer of the branch',
      );
    for (const id of unchecked) this.checkedOfficers.add(id);
  }

  /**
   * New loans: borrower, case (open and assigned when delinquent, else closed until a later
   * file shows it late), first assignment, loan. Their snapshot and contact points follow
   * (writeLoansAndSnapshots, writeBorrowers).
   */
  private async insertNew(assigned: boolean): Promise<void> {
    const { tx } = this;
    await tx.query(
      `insert into borrowers (id, branch_id, name, id_number, township, village, county, address)
       select borrower_id, $1, name, id_no, township, village, county, address
         from import_chunk where not known order by n`,
      [this.branchId],
    );
    await tx.query(
      `insert into cases (id, branch_id, borrower_id, officer_id, field_clocks, status)
       select case_id, $1, borrower_id, case when delinquent then officer end,
              case when delinquent and officer is not null then jsonb_build_object('officerId', $2::text) else '{}'::jsonb end,
              case when delinquent then 'open' else 'closed' end
         from import_chunk where not known order by n`,
      [this.branchId, this.stamp],
    );
    if (assigned) {
      await tx.query(
        `insert into case_assignments (id, case_id, officer_id, assigned_by, hlc)
         select assign_new, case_id, officer, $1, $2
           from import_chunk where not known and delinquent and officer is not null order by n`,
        [this.assignedBy, this.stamp],
      );
    }
    await tx.query(
      `insert into loans (id, case_id, borrower_id, branch_id, loan_no, product, principal_fen, disbursed_on, term_months, status)
       select loan_id, case_id, borrower_id, $1, loan_no, product, principal, disbursed, term, 'active'
         from import_chunk where not known order by n`,
      [this.branchId],
    );
    // One change row per new case: a bundle, the whole case as it is when a device pulls it
    // (borrower, contact points, loan, snapshot; server/sync/pull.ts), rather than a row per
    // record (5.6 a loan). Its snapshot and phones, written next, need no rows of their own.
    await tx.query(
      `insert into import_changes (entity, entity_id, change_kind, case_id)
       select 'case', case_id, 'bundle', case_id from import_chunk where not known order by n`,
    );
  }

  /**
   * A known loan that is late again reopens its case; a case without an officer gets the
   * file's officer (first row of the chunk naming one). Assignments made since the case
   * was created are never overridden.
   */
  private async updateKnownCases(): Promise<void> {
    const { tx } = this;
    this.counts.casesReopened += await count(
      tx,
      `with r as (
         update cases c set status = 'open', updated_at = now()
          where c.id in (select case_id from import_chunk where known and delinquent) and c.status = 'closed'
         returning c.id),
       s as (insert into import_changes (entity, entity_id, case_id) select 'case', id, id from r order by id)
       select count(*)::int as n from r`,
      [],
    );
    const unassigned = await tx.query<{
      id: string;
      field_clocks: Record<string, string>;
      officer: string;
    }>(
      `select c.id, c.field_clocks,
              (select k.officer from import_chunk k
                where k.case_id = c.id and k.known and k.delinquent and k.officer is not null
                order by k.n limit 1) as officer
         from cases c
        where c.officer_id is null
          and c.id in (select case_id from import_chunk where known and delinquent and officer is not null)
        order by c.id for update`,
    );
    if (unassigned.length === 0) return;
    const ids = unassigned.map((c) => c.id);
    const officers = unassigned.map((c) => c.officer);
    // Head office's import always wins over the stamp the case has (stampAfter).
    const hlcs = unassigned.map((c) => stampAfter(c.field_clocks.officerId, this.now.getTime()));
    const clocks = unassigned.map((c, i) =>
      JSON.stringify({ ...c.field_clocks, officerId: hlcs[i] }),
    );
    await tx.query(
      'update case_assignments set ended_at = now() where case_id = any($1::text[]) and ended_at is null',
      [ids],
    );
    await tx.query(
      `insert into case_assignments (id, case_id, officer_id, assigned_by, hlc)
       select id, case_id, officer, $1, hlc from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as t(id, case_id, officer, hlc)`,
      [this.assignedBy, ids.map(() => newId()), ids, officers, hlcs],
    );
    await tx.query(
      `update cases c set officer_id = t.officer, field_clocks = t.clocks::jsonb, updated_at = now()
         from unnest($1::text[], $2::text[], $3::text[]) as t(id, officer, clocks) where c.id = t.id`,
      [ids, officers, clocks],
    );
    await tx.query(
      `insert into import_changes (entity, entity_id, change_kind, case_id, officer_id, prev_officer_id)
       select 'case', id, 'assignment', id, officer, null from unnest($1::text[], $2::text[]) as t(id, officer)`,
      [ids, officers],
    );
    this.counts.casesAssigned += ids.length;
  }

  /** Known loans' details where the file differs; every loan's snapshot for the file's date. */
  private async writeLoansAndSnapshots(
    fresh: boolean,
    known: boolean,
    schedules: string,
  ): Promise<void> {
    const { tx } = this;
    if (known) {
      await tx.query(
        `with u as (
         update loans l set product = t.product, principal_fen = t.principal, disbursed_on = t.disbursed,
                term_months = t.term, status = 'active', updated_at = now()
           from import_chunk t
          where t.known and l.id = t.loan_id
            and (l.product, l.principal_fen, l.disbursed_on, l.term_months, l.status)
                is distinct from (t.product, t.principal, t.disbursed, t.term, 'active')
         returning l.id, l.case_id)
       insert into import_changes (entity, entity_id, case_id) select 'loan', id, case_id from u order by id`,
      );
    }
    // A new loan's snapshot cannot exist yet: a plain insert, cheaper than an upsert. Its
    // case's bundle row carries it to devices.
    if (fresh) {
      await tx.query(
        `insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
         select k.snap_new, k.loan_id, k.as_of, 'active', k.outstanding, j.schedule::json
           from ${SCHEDULES} where not k.known order by k.n`,
        [schedules],
      );
    }
    if (!known) return;
    // One snapshot per loan and business day: the same file imported twice writes it once.
    await tx.query(
      `with s as (
         insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
         select k.snap_new, k.loan_id, k.as_of, 'active', k.outstanding, j.schedule::json
           from ${SCHEDULES} where k.known order by k.n
         on conflict (loan_id, as_of) do update
           set status = excluded.status, outstanding_principal_fen = excluded.outstanding_principal_fen,
               schedule = excluded.schedule, received_at = now()
           -- json has no equality: the same figures are the same text (scheduleJson).
           where (loan_snapshots.status, loan_snapshots.outstanding_principal_fen, loan_snapshots.schedule::text)
                 is distinct from (excluded.status, excluded.outstanding_principal_fen, excluded.schedule::text)
         returning id, loan_id)
       insert into import_changes (entity, entity_id, case_id)
       select 'loan_snapshot', s.id, k.case_id from s join import_chunk k on k.loan_id = s.loan_id order by k.n`,
      [schedules],
    );
  }

  /**
   * Known borrowers' details where the file differs, then every number a borrower does not
   * have yet (one that exists, even marked invalid by an officer, stays as it is).
   */
  private async writeBorrowers(
    fresh: boolean,
    known: boolean,
    contacts: ChunkContacts,
  ): Promise<void> {
    const { tx } = this;
    if (known) {
      await tx.query(
        `with u as (
         update borrowers b set name = t.name, id_number = coalesce(t.id_no, b.id_number), township = t.township,
                village = t.village, county = t.county, address = t.address, updated_at = now()
           from import_chunk t
          where t.known and b.id = t.borrower_id
            and (b.name, b.id_number, b.township, b.village, b.county, b.address)
                is distinct from (t.name, coalesce(t.id_no, b.id_number), t.township, t.village, t.county, t.address)
         returning b.id)
       insert into import_changes (entity, entity_id, case_id)
       select distinct 'borrower', u.id, k.case_id from u join import_chunk k on k.borrower_id = u.id`,
      );
    }
    if (contacts.id.length === 0) return;
    const params = [
      this.stamp,
      contacts.row,
      contacts.id,
      contacts.kind,
      contacts.value,
      contacts.party,
      contacts.name,
    ];
    const numbers = `unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
      with ordinality as p(row, id, kind, value, party, name, i) join import_chunk k on k.n = p.row + 1`;
    if (fresh) {
      // A new borrower has none of the numbers yet (a row's own repeats are dropped as it is
      // read). Its case's bundle row carries them to devices.
      await tx.query(
        `insert into contact_points (id, borrower_id, kind, value, party, contact_name, hlc)
         select p.id, k.borrower_id, p.kind, p.value, p.party, p.name, $1
           from ${numbers} where not k.known order by p.i`,
        params,
      );
    }
    if (!known) return;
    await tx.query(
      `with p as (
         select distinct on (k.borrower_id, p.value) p.id, k.borrower_id, p.kind, p.value, p.party, p.name, p.i
           from ${numbers} where k.known
          order by k.borrower_id, p.value, p.i),
       ins as (
         insert into contact_points (id, borrower_id, kind, value, party, contact_name, hlc)
         select p.id, p.borrower_id, p.kind, p.value, p.party, p.name, $1 from p
           -- The borrower's numbers by index, per number (limit 1 keeps the planner from an
           -- anti join that reads every contact point of the server for every chunk, which
           -- it may pick when the table's statistics are stale).
           left join lateral (select true as has from contact_points c
                               where c.borrower_id = p.borrower_id and c.value = p.value limit 1) c on true
          where c.has is null
          order by p.i
         returning id, borrower_id)
       insert into import_changes (entity, entity_id, case_id)
       select distinct on (ins.id, k.case_id) 'contact_point', ins.id, k.case_id
         from ins join import_chunk k on k.borrower_id = ins.borrower_id`,
      params,
    );
  }

  /** Full import: active loans of the branch the file does not list are closed, and cases left with no active loan. */
  async closeMissing(asOf: string): Promise<void> {
    const { tx } = this;
    const closed = await tx.query<{ id: string; case_id: string }>(
      `update loans l set status = 'closed', updated_at = now()
        where l.branch_id = $1 and l.status = 'active'
          and not exists (select 1 from import_seen s where s.loan_no = l.loan_no)
        returning l.id, l.case_id`,
      [this.branchId],
    );
    this.counts.loansClosed = closed.length;
    if (closed.length === 0) return;
    const loanIds = closed.map((l) => l.id);
    const caseIds = closed.map((l) => l.case_id);
    await tx.query(
      `insert into import_changes (entity, entity_id, case_id)
       select 'loan', id, case_id from unnest($1::text[], $2::text[]) as t(id, case_id)`,
      [loanIds, caseIds],
    );
    // The loan's last schedule, closed at the file's date.
    await tx.query(
      `with s as (
         insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
         select t.id, t.loan, $1::date, 'closed', 0,
                coalesce((select s.schedule from loan_snapshots s where s.loan_id = t.loan order by s.as_of desc limit 1), '[]'::json)
           from unnest($2::text[], $3::text[]) as t(id, loan)
         on conflict (loan_id, as_of) do update set status = 'closed', outstanding_principal_fen = 0, received_at = now()
         returning id, loan_id)
       insert into import_changes (entity, entity_id, case_id)
       select 'loan_snapshot', s.id, t.case_id from s join unnest($3::text[], $4::text[]) as t(loan, case_id) on t.loan = s.loan_id`,
      [asOf, loanIds.map(() => newId()), loanIds, caseIds],
    );
    this.counts.casesClosed = await count(
      tx,
      `with c as (
         update cases c set status = 'closed', updated_at = now()
          where c.id = any($1::text[]) and c.status = 'open'
            and not exists (select 1 from loans l where l.case_id = c.id and l.status = 'active')
         returning c.id),
       s as (insert into import_changes (entity, entity_id, case_id) select 'case', id, id from c order by id)
       select count(*)::int as n from c`,
      [[...new Set(caseIds)]],
    );
  }

  /** The staged change rows into the feed, in order, as the transaction's last statement (under the feed lock). */
  async appendFeed(): Promise<void> {
    const { tx } = this;
    // Every staged row goes to the feed: counted here (a scan of a temporary table) rather
    // than returned by the insert and counted (a tuplestore of every inserted row).
    this.counts.changeRows = await count(tx, 'select count(*)::int as n from import_changes', []);
    await tx.query('select pg_advisory_xact_lock($1)', [FEED_LOCK]);
    await tx.query(
      `insert into changes (entity, entity_id, change_kind, branch_id, case_id, officer_id, prev_officer_id)
       select s.entity, s.entity_id, s.change_kind, $1, s.case_id,
              case when s.change_kind = 'assignment' then s.officer_id else c.officer_id end, s.prev_officer_id
         from import_changes s left join cases c on c.id = s.case_id
        order by s.ord`,
      [this.branchId],
    );
  }
}
