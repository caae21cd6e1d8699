// Reads the current state of entities as the records devices receive (shared/sync/records.ts).
// Everything is loaded by batches of ids: a page of the feed is a handful of queries,
// never one per row.
import type { ContactParty } from '../../shared/domain/types';
import type {
  BorrowerRecord,
  BranchRecord,
  CaseRecord,
  ContactPointRecord,
  FactFlag,
  FactRecord,
  LoanRecord,
  LoanSnapshotRecord,
  SyncFactKind,
} from '../../shared/sync/records';
import type { Queryable } from '../db/database';
import { CASE_COLUMNS, type CaseRow } from '../model/cases';

/** Devices get '110***********1234', never the whole identity number. */
export function maskIdNumber(idNumber: string | null): string {
  if (!idNumber) return '';
  if (idNumber.length <= 7) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

export function toCaseRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    branchId: r.branch_id,
    borrowerId: r.borrower_id,
    officerId: r.officer_id,
    status: r.status,
    nextActionDate: r.next_action_date,
    flags: r.flags,
    clocks: r.field_clocks,
    updatedAt: r.updated_at,
  };
}

export async function loadBranches(
  q: Queryable,
  ids: readonly string[] | 'all',
): Promise<BranchRecord[]> {
  if (ids !== 'all' && ids.length === 0) return [];
  return ids === 'all'
    ? q.query<BranchRecord>('select id, code, name, timezone from branches order by code')
    : q.query<BranchRecord>(
        'select id, code, name, timezone from branches where id = any($1::text[]) order by code',
        [ids],
      );
}

export async function loadCases(q: Queryable, ids: readonly string[]): Promise<CaseRecord[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<CaseRow>(
    `select ${CASE_COLUMNS} from cases where id = any($1::text[]) order by id`,
    [ids],
  );
  return rows.map(toCaseRecord);
}

export async function loadBorrowers(
  q: Queryable,
  ids: readonly string[],
): Promise<BorrowerRecord[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{
    id: string;
    branch_id: string;
    name: string;
    gender: 'F' | 'M' | null;
    id_number: string | null;
    township: string;
    village: string;
    county: string;
    address: string;
  }>(
    'select id, branch_id, name, gender, id_number, township, village, county, address from borrowers where id = any($1::text[]) order by id',
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    branchId: r.branch_id,
    name: r.name,
    gender: r.gender,
    idNumberMasked: maskIdNumber(r.id_number),
    township: r.township,
    village: r.village,
    county: r.county,
    address: r.address,
  }));
}

interface ContactPointRow {
  id: string;
  borrower_id: string;
  kind: ContactPointRecord['kind'];
  value: string;
  party: ContactParty;
  contact_name: string | null;
  relation: string | null;
  status: 'active' | 'invalid';
  hlc: string;
}

function toContactPoint(r: ContactPointRow): ContactPointRecord {
  return {
    id: r.id,
    borrowerId: r.borrower_id,
    kind: r.kind,
    value: r.value,
    party: r.party,
    name: r.contact_name,
    relation: r.relation,
    status: r.status,
    hlc: r.hlc,
  };
}

const CONTACT_POINT_COLUMNS =
  'id, borrower_id, kind, value, party, contact_name, relation, status, hlc';

export async function loadContactPoints(
  q: Queryable,
  ids: readonly string[],
): Promise<ContactPointRecord[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<ContactPointRow>(
    `select ${CONTACT_POINT_COLUMNS} from contact_points where id = any($1::text[]) order by id`,
    [ids],
  );
  return rows.map(toContactPoint);
}

export async function loadContactPointsOfBorrowers(
  q: Queryable,
  borrowerIds: readonly string[],
): Promise<ContactPointRecord[]> {
  if (borrowerIds.length === 0) return [];
  const rows = await q.query<ContactPointRow>(
    `select ${CONTACT_POINT_COLUMNS} from contact_points where borrower_id = any($1::text[]) order by id`,
    [borrowerIds],
  );
  return rows.map(toContactPoint);
}

interface LoanRow {
  id: string;
  case_id: string;
  borrower_id: string;
  loan_no: string;
  product: string;
  principal_fen: number;
  disbursed_on: string;
  term_months: number;
  status: 'active' | 'closed';
}

const LOAN_COLUMNS =
  'id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months, status';

function toLoan(r: LoanRow): LoanRecord {
  return {
    id: r.id,
    caseId: r.case_id,
    borrowerId: r.borrower_id,
    loanNo: r.loan_no,
    product: r.product,
    principalFen: r.principal_fen,
    disbursedOn: r.disbursed_on,
    termMonths: r.term_months,
    status: r.status,
  };
}

export async function loadLoans(
  q: Queryable,
  ids: readonly string[],
  by: 'id' | 'case_id' = 'id',
): Promise<LoanRecord[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<LoanRow>(
    `select ${LOAN_COLUMNS} from loans where ${by} = any($1::text[]) order by id`,
    [ids],
  );
  return rows.map(toLoan);
}

interface SnapshotRow {
  id: string;
  loan_id: string;
  as_of: string;
  status: 'active' | 'closed';
  outstanding_principal_fen: number;
  schedule: LoanSnapshotRecord['schedule'];
  received_at: string;
}

function toSnapshot(r: SnapshotRow): LoanSnapshotRecord {
  return {
    id: r.id,
    loanId: r.loan_id,
    asOf: r.as_of,
    status: r.status,
    outstandingPrincipalFen: r.outstanding_principal_fen,
    schedule: r.schedule,
    receivedAt: r.received_at,
  };
}

const SNAPSHOT_COLUMNS =
  'id, loan_id, as_of, status, outstanding_principal_fen, schedule, received_at';

export async function loadSnapshots(
  q: Queryable,
  ids: readonly string[],
): Promise<LoanSnapshotRecord[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<SnapshotRow>(
    `select ${SNAPSHOT_COLUMNS} from loan_snapshots where id = any($1::text[]) order by id`,
    [ids],
  );
  return rows.map(toSnapshot);
}

/** The newest snapshot of each loan: all a device needs to start from. */
export async function loadLatestSnapshots(
  q: Queryable,
  loanIds: readonly string[],
): Promise<LoanSnapshotRecord[]> {
  if (loanIds.length === 0) return [];
  const rows = await q.query<SnapshotRow>(
    `select distinct on (loan_id) ${SNAPSHOT_COLUMNS} from loan_snapshots
      where loan_id = any($1::text[]) order by loan_id, as_of desc`,
    [loanIds],
  );
  return rows.map(toSnapshot);
}

interface FactRow {
  id: string;
  case_id: string;
  kind: SyncFactKind;
  recorded_by: string;
  device_id: string;
  occurred_at: string;
  hlc: string;
  payload: Record<string, unknown>;
  flags: FactFlag[];
  received_at: string;
}

const FACT_COLUMNS =
  'id, case_id, kind, recorded_by, device_id, occurred_at, hlc, payload, flags, received_at';

function toFact(r: FactRow): FactRecord {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    recordedBy: r.recorded_by,
    deviceId: r.device_id,
    occurredAt: r.occurred_at,
    hlc: r.hlc,
    payload: r.payload,
    flags: r.flags,
    receivedAt: r.received_at,
  };
}

export async function loadFacts(
  q: Queryable,
  ids: readonly string[],
  by: 'id' | 'case_id' = 'id',
): Promise<FactRecord[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<FactRow>(
    `select ${FACT_COLUMNS} from facts where ${by} = any($1::text[]) order by case_id, occurred_at, id`,
    [ids],
  );
  return rows.map(toFact);
}
