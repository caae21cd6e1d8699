// Writes a previewed core-banking portfolio file into the server database: ALL valid rows
// in ONE transaction, or nothing (a failure, a cancel, a file changed since the preview or
// a killed process all leave the database as it was).
//
// Per loan number, idempotently:
// - a new loan gets a borrower, contact points, the loan, a snapshot and a case (open and
//   assigned when the loan is delinquent; closed when there is nothing to collect yet);
// - a known loan gets the file's snapshot for the file's date (balances, arrears and days
//   past due as a schedule with what core banking has received, shared/import/loan-snapshot),
//   its loan and borrower details refreshed, new phone numbers added, its case reopened when
//   it became delinquent and given the file's officer when it had none. Facts, assignments
//   made since and contact points officers marked invalid are never touched;
// - with `full`, an active loan of the branch the file does not list (not even on a rejected
//   row) is closed, with a closed snapshot; a case whose loans are all closed is closed.
//
// Rows are written in chunks as they stream from the file, so memory stays flat; the change
// rows devices pull are staged in a temporary table and appended to the feed last, under the
// feed lock (server/sync/change-feed.ts).
import { planLoanSnapshot } from '../../shared/import/loan-snapshot';
import type { PortfolioRow } from '../../shared/import/fields';
import type { ReadProgress } from '../../shared/node/portfolio-import';
import { importPortfolioRows, type PortfolioPreview } from '../../shared/node/portfolio-import';
import { stampAfter } from '../../shared/sync/hlc';
import type { Database, Queryable, Transaction } from '../db/database';
import { ServerError } from '../errors';
import { CASE_COLUMNS, moveCase, type CaseRow } from '../model/cases';
import { FEED_LOCK, type ChangeRow } from '../sync/change-feed';
import { newId } from '../model/ids';
import {
  writePortfolioCases,
  type PortfolioCase,
  type PortfolioInstalment,
} from './portfolio-writer';

export interface ServerImportOptions {
  branchId: string;
  /** Recorded on the first assignments ('cli:wang'). */
  assignedBy: string;
  /** Close the branch's active loans the file does not list. */
  full: boolean;
  /** Officer code as the validated rows carry it (the officer's username) -> user id. */
  officerIds: ReadonlyMap<string, string>;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (progress: ServerImportProgress) => void;
}

export interface ServerImportProgress {
  phase: 'writing' | 'closing' | 'committing';
  rowsRead: number;
  totalRows: number;
  loansWritten: number;
}

export interface ServerImportResult {
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

const CHUNK = 500;

export function isDelinquent(row: Pick<PortfolioRow, 'daysPastDue' | 'arrearsFen'>): boolean {
  return row.daysPastDue > 0 || row.arrearsFen > 0;
}

interface Snapshot {
  status: 'active' | 'closed';
  outstanding: number;
  schedule: PortfolioInstalment[];
  exact: boolean;
}

function snapshotOf(row: PortfolioRow): Snapshot {
  const plan = planLoanSnapshot(row);
  return {
    status: 'active',
    outstanding: row.outstandingFen,
    schedule: plan.position.instalments.map((i) => ({
      seq: i.seq,
      dueDate: i.dueDate,
      principalFen: i.principalFen,
      interestFen: i.interestFen,
      paidFen: i.paidFen,
    })),
    exact: plan.exact,
  };
}

function portfolioCase(row: PortfolioRow, officerId: string | null, snap: Snapshot): PortfolioCase {
  const contactPoints: PortfolioCase['contactPoints'] = [];
  for (const phone of [row.phone, ...row.otherPhones]) {
    if (phone) contactPoints.push({ kind: phoneKind(phone), value: phone, party: 'borrower' });
  }
  if (row.guarantorPhone) {
    contactPoints.push({
      kind: phoneKind(row.guarantorPhone),
      value: row.guarantorPhone,
      party: 'guarantor',
      name: row.guarantorName,
    });
  }
  const delinquent = isDelinquent(row);
  return {
    borrower: {
      name: row.borrowerName,
      idNumber: row.idNumber,
      township: row.township ?? '',
      village: row.village ?? '',
      county: row.county ?? '',
      address: row.address ?? '',
    },
    contactPoints,
    loans: [
      {
        loanNo: row.loanNo,
        product: row.product ?? '',
        principalFen: row.principalFen,
        disbursedOn: row.disbursedOn,
        termMonths: row.termMonths,
        status: 'active',
        snapshot: {
          asOf: row.asOfDate,
          status: 'active',
          outstandingPrincipalFen: snap.outstanding,
          schedule: snap.schedule,
        },
      },
    ],
    // A current loan's case waits, closed, until a later file shows it delinquent.
    officerId: delinquent ? officerId : null,
    caseStatus: delinquent ? 'open' : 'closed',
  };
}

/** Mobile numbers are 11 digits starting with 1; anything else the parser kept is a landline. */
function phoneKind(phone: string): 'mobile' | 'landline' {
  return /^1\d{10}$/.test(phone) ? 'mobile' : 'landline';
}

interface ExistingLoan {
  id: string;
  loan_no: string;
  case_id: string;
  borrower_id: string;
  branch_id: string;
}

class ImportRun {
  readonly result: ServerImportResult = {
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

  constructor(
    private readonly tx: Transaction,
    private readonly options: ServerImportOptions,
    private readonly now: Date,
  ) {
    this.stamp = stampAfter(null, now.getTime());
  }

  async stageChanges(rows: readonly ChangeRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.result.changeRows += rows.length;
    await this.tx.query(
      `insert into import_changes (entity, entity_id, change_kind, branch_id, case_id, officer_id, prev_officer_id)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [
        rows.map((r) => r.entity),
        rows.map((r) => r.entityId),
        rows.map((r) => r.changeKind ?? 'upsert'),
        rows.map((r) => r.branchId),
        rows.map((r) => r.caseId),
        rows.map((r) => r.officerId),
        rows.map((r) => r.prevOfficerId ?? null),
      ],
    );
  }

  async writeChunk(rows: readonly PortfolioRow[], seen: readonly string[]): Promise<void> {
    const { tx } = this;
    if (seen.length > 0 && this.options.full) {
      await tx.query(
        'insert into import_seen (loan_no) select unnest($1::text[]) on conflict do nothing',
        [seen],
      );
    }
    if (rows.length === 0) return;
    const existing = await tx.query<ExistingLoan>(
      'select id, loan_no, case_id, borrower_id, branch_id from loans where loan_no = any($1::text[])',
      [rows.map((r) => r.loanNo)],
    );
    const byNo = new Map(existing.map((l) => [l.loan_no, l]));
    const foreign = existing.find((l) => l.branch_id !== this.options.branchId);
    if (foreign) {
      throw new ServerError(
        'conflict',
        `Loan ${foreign.loan_no} belongs to another branch: nothing was imported`,
      );
    }
    const fresh: PortfolioCase[] = [];
    const known: { row: PortfolioRow; loan: ExistingLoan; snap: Snapshot }[] = [];
    for (const row of rows) {
      const snap = snapshotOf(row);
      if (!snap.exact) this.result.snapshotsApproximate++;
      const loan = byNo.get(row.loanNo);
      if (loan) known.push({ row, loan, snap });
      else fresh.push(portfolioCase(row, this.officerOf(row), snap));
    }
    if (fresh.length > 0) {
      const written = await writePortfolioCases(tx, this.options.branchId, fresh, {
        assignedBy: this.options.assignedBy,
        now: this.now,
      });
      this.result.loansCreated += fresh.length;
      this.result.casesOpened += fresh.filter((c) => c.caseStatus === 'open').length;
      this.result.casesAssigned += fresh.filter((c) => c.officerId !== null).length;
      await this.stageChanges(written.changes);
    }
    if (known.length > 0) await this.updateKnown(known);
  }

  private officerOf(row: PortfolioRow): string | null {
    return row.officerCode === null ? null : (this.options.officerIds.get(row.officerCode) ?? null);
  }

  private async updateKnown(
    known: { row: PortfolioRow; loan: ExistingLoan; snap: Snapshot }[],
  ): Promise<void> {
    const { tx } = this;
    this.result.loansUpdated += known.length;
    const caseIds = [...new Set(known.map((k) => k.loan.case_id))];
    const cases = new Map(
      (
        await tx.query<CaseRow>(
          `select ${CASE_COLUMNS} from cases where id = any($1::text[]) order by id for update`,
          [caseIds],
        )
      ).map((c) => [c.id, c]),
    );
    const changes: ChangeRow[] = [];
    const change = (entity: ChangeRow['entity'], entityId: string, caseId: string): void => {
      const c = cases.get(caseId);
      changes.push({
        entity,
        entityId,
        branchId: this.options.branchId,
        caseId,
        officerId: c?.officer_id ?? null,
      });
    };

    // Cases first, so the change rows below carry the officer the case ends up with.
    for (const k of known) {
      const c = cases.get(k.loan.case_id);
      if (!c || !isDelinquent(k.row)) continue;
      if (c.status === 'closed') {
        await tx.query(`update cases set status = 'open', updated_at = now() where id = $1`, [
          c.id,
        ]);
        c.status = 'open';
        this.result.casesReopened++;
        change('case', c.id, c.id);
      }
      const officerId = this.officerOf(k.row);
      if (c.officer_id === null && officerId !== null) {
        const moved = await moveCase(
          tx,
          c,
          officerId,
          stampAfter(c.field_clocks.officerId, this.now.getTime()),
          this.options.assignedBy,
        );
        if (moved.change) {
          changes.push(moved.change);
          this.result.casesAssigned++;
        }
      }
    }

    const loans = await tx.query<{ id: string; case_id: string }>(
      `update loans l set product = t.product, principal_fen = t.principal, disbursed_on = t.disbursed::date,
              term_months = t.term, status = 'active', updated_at = now()
         from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[])
           as t(id, product, principal, disbursed, term)
        where l.id = t.id and (l.product, l.principal_fen, l.disbursed_on, l.term_months, l.status)
              is distinct from (t.product, t.principal, t.disbursed::date, t.term, 'active')
        returning l.id, l.case_id`,
      [
        known.map((k) => k.loan.id),
        known.map((k) => k.row.product ?? ''),
        known.map((k) => k.row.principalFen),
        known.map((k) => k.row.disbursedOn),
        known.map((k) => k.row.termMonths),
      ],
    );
    for (const l of loans) change('loan', l.id, l.case_id);

    // One snapshot per loan and business day: the same file imported twice writes it once.
    const snaps = await tx.query<{ id: string; loan_id: string }>(
      `insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
       select id, loan, as_of::date, 'active', outstanding, schedule::jsonb
         from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) as t(id, loan, as_of, outstanding, schedule)
       on conflict (loan_id, as_of) do update
         set status = excluded.status, outstanding_principal_fen = excluded.outstanding_principal_fen,
             schedule = excluded.schedule, received_at = now()
         where (loan_snapshots.status, loan_snapshots.outstanding_principal_fen, loan_snapshots.schedule)
               is distinct from (excluded.status, excluded.outstanding_principal_fen, excluded.schedule)
       returning id, loan_id`,
      [
        known.map(() => newId()),
        known.map((k) => k.loan.id),
        known.map((k) => k.row.asOfDate),
        known.map((k) => k.snap.outstanding),
        known.map((k) => JSON.stringify(k.snap.schedule)),
      ],
    );
    const caseOfLoan = new Map(known.map((k) => [k.loan.id, k.loan.case_id]));
    for (const s of snaps) change('loan_snapshot', s.id, caseOfLoan.get(s.loan_id) ?? '');

    const borrowers = await tx.query<{ id: string }>(
      `update borrowers b set name = t.name, id_number = coalesce(t.id_no, b.id_number), township = t.township,
              village = t.village, county = t.county, address = t.address, updated_at = now()
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           as t(id, name, id_no, township, village, county, address)
        where b.id = t.id and (b.name, b.id_number, b.township, b.village, b.county, b.address)
              is distinct from (t.name, coalesce(t.id_no, b.id_number), t.township, t.village, t.county, t.address)
        returning b.id`,
      [
        known.map((k) => k.loan.borrower_id),
        known.map((k) => k.row.borrowerName),
        known.map((k) => k.row.idNumber),
        known.map((k) => k.row.township ?? ''),
        known.map((k) => k.row.village ?? ''),
        known.map((k) => k.row.county ?? ''),
        known.map((k) => k.row.address ?? ''),
      ],
    );
    const caseOfBorrower = new Map(known.map((k) => [k.loan.borrower_id, k.loan.case_id]));
    for (const b of borrowers) change('borrower', b.id, caseOfBorrower.get(b.id) ?? '');

    // Numbers the borrower did not have yet; an existing one (even marked invalid) stays as it is.
    const cp = {
      id: [] as string[],
      borrower: [] as string[],
      kind: [] as string[],
      value: [] as string[],
      party: [] as string[],
      name: [] as (string | null)[],
    };
    for (const k of known) {
      const numbers: [string, 'borrower' | 'guarantor', string | null][] = [];
      for (const p of [k.row.phone, ...k.row.otherPhones])
        if (p) numbers.push([p, 'borrower', null]);
      if (k.row.guarantorPhone)
        numbers.push([k.row.guarantorPhone, 'guarantor', k.row.guarantorName]);
      for (const [value, party, name] of numbers) {
        cp.id.push(newId());
        cp.borrower.push(k.loan.borrower_id);
        cp.kind.push(phoneKind(value));
        cp.value.push(value);
        cp.party.push(party);
        cp.name.push(name);
      }
    }
    if (cp.id.length > 0) {
      const added = await tx.query<{ id: string; borrower_id: string }>(
        `insert into contact_points (id, borrower_id, kind, value, party, contact_name, hlc)
         select distinct on (t.borrower, t.value) t.id, t.borrower, t.kind, t.value, t.party, t.name, $1
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as t(id, borrower, kind, value, party, name)
          where not exists (select 1 from contact_points c where c.borrower_id = t.borrower and c.value = t.value)
         returning id, borrower_id`,
        [this.stamp, cp.id, cp.borrower, cp.kind, cp.value, cp.party, cp.name],
      );
      for (const a of added) change('contact_point', a.id, caseOfBorrower.get(a.borrower_id) ?? '');
    }
    await this.stageChanges(changes);
  }

  /** Full import: active loans of the branch the file does not list are closed, and cases left with no active loan. */
  async closeMissing(asOf: string): Promise<void> {
    const { tx } = this;
    const closed = await tx.query<{ id: string; case_id: string }>(
      `update loans l set status = 'closed', updated_at = now()
        where l.branch_id = $1 and l.status = 'active'
          and not exists (select 1 from import_seen s where s.loan_no = l.loan_no)
        returning l.id, l.case_id`,
      [this.options.branchId],
    );
    if (closed.length === 0) return;
    this.result.loansClosed = closed.length;
    const snaps = await tx.query<{ id: string; loan_id: string }>(
      `insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
       select t.id, t.loan, $1::date, 'closed', 0,
              coalesce((select s.schedule from loan_snapshots s where s.loan_id = t.loan order by s.as_of desc limit 1), '[]'::jsonb)
         from unnest($2::text[], $3::text[]) as t(id, loan)
       on conflict (loan_id, as_of) do update set status = 'closed', outstanding_principal_fen = 0, received_at = now()
       returning id, loan_id`,
      [asOf, closed.map(() => newId()), closed.map((c) => c.id)],
    );
    const closedCases = await tx.query<{ id: string }>(
      `update cases c set status = 'closed', updated_at = now()
        where c.id = any($1::text[]) and c.status = 'open'
          and not exists (select 1 from loans l where l.case_id = c.id and l.status = 'active')
        returning c.id`,
      [[...new Set(closed.map((c) => c.case_id))]],
    );
    this.result.casesClosed = closedCases.length;
    const officers = new Map(
      (
        await tx.query<{ id: string; officer_id: string | null }>(
          'select id, officer_id from cases where id = any($1::text[])',
          [[...new Set(closed.map((c) => c.case_id))]],
        )
      ).map((c) => [c.id, c.officer_id]),
    );
    const caseOfLoan = new Map(closed.map((c) => [c.id, c.case_id]));
    const row = (entity: ChangeRow['entity'], entityId: string, caseId: string): ChangeRow => ({
      entity,
      entityId,
      branchId: this.options.branchId,
      caseId,
      officerId: officers.get(caseId) ?? null,
    });
    await this.stageChanges([
      ...closed.map((l) => row('loan', l.id, l.case_id)),
      ...snaps.map((s) => row('loan_snapshot', s.id, caseOfLoan.get(s.loan_id) ?? '')),
      ...closedCases.map((c) => row('case', c.id, c.id)),
    ]);
  }

  /** The staged change rows into the feed, in order, as the transaction's last statement (under the feed lock). */
  async appendFeed(): Promise<void> {
    await this.tx.query('select pg_advisory_xact_lock($1)', [FEED_LOCK]);
    await this.tx.query(
      `insert into changes (entity, entity_id, change_kind, branch_id, case_id, officer_id, prev_officer_id)
       select entity, entity_id, change_kind, branch_id, case_id, officer_id, prev_officer_id from import_changes order by ord`,
    );
  }
}

async function createScratchTables(tx: Queryable): Promise<void> {
  // Temporary and dropped at commit: a second import in the same session starts clean.
  await tx.query(`create temp table import_changes (
      ord bigserial, entity text, entity_id text, change_kind text, branch_id text,
      case_id text, officer_id text, prev_officer_id text) on commit drop`);
  await tx.query(`create temp table import_seen (loan_no text primary key) on commit drop`);
}

/**
 * Writes the previewed file. The preview must allow the import (no file issue, some valid
 * rows); whether rejected rows may be left out is the caller's decision (the CLI refuses
 * unless --valid-only). Throws, with nothing written, on cancel or when the file changed.
 */
export async function writePortfolioImport(
  db: Database,
  path: string,
  preview: PortfolioPreview,
  options: ServerImportOptions,
): Promise<ServerImportResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    await createScratchTables(tx);
    const run = new ImportRun(tx, options, now);
    const totalRows = preview.report.totalRows;
    let rows: PortfolioRow[] = [];
    let seen: string[] = [];
    const progress = (phase: ServerImportProgress['phase']): void =>
      options.onProgress?.({
        phase,
        rowsRead: run.result.rowsRead,
        totalRows,
        loansWritten: run.result.loansCreated + run.result.loansUpdated,
      });
    const passOptions: { signal?: AbortSignal; onProgress?: (p: ReadProgress) => void } = {};
    if (options.signal) passOptions.signal = options.signal;
    for await (const checked of importPortfolioRows(path, preview, passOptions)) {
      run.result.rowsRead++;
      if (checked.loanNo !== null) seen.push(checked.loanNo);
      if (checked.row) rows.push(checked.row);
      else run.result.rowsLeftOut++;
      if (rows.length >= CHUNK || seen.length >= CHUNK * 2) {
        options.signal?.throwIfAborted();
        await run.writeChunk(rows, seen);
        rows = [];
        seen = [];
        progress('writing');
      }
    }
    await run.writeChunk(rows, seen);
    progress('writing');
    options.signal?.throwIfAborted();
    if (options.full) {
      progress('closing');
      await run.closeMissing(preview.context.asOfDate);
    }
    options.signal?.throwIfAborted();
    progress('committing');
    await run.appendFeed();
    return run.result;
  });
}
