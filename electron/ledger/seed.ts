// Writes the reference data a ledger starts from: the branch and its users, borrowers,
// their contact points, cases and loans with schedules. Today only the demo generator
// and tests call these; the sync client will load the same rows from head office.
import type { Fen, Instalment, IsoDate, UserRole } from '../../shared/domain/types';
import type { LedgerDb } from './db';
import type { BranchInfo } from './ledger';
import { META, setMeta } from './meta';
import { namePinyin, routeKey } from './pinyin';
import { stmt } from './statements';

export interface UserSeed {
  id: string;
  login: string;
  name: string;
  role: UserRole;
}

export function initBranch(
  db: LedgerDb,
  p: { branch: BranchInfo; users: UserSeed[]; currentUserId: string; demo: boolean },
): void {
  db.transaction(() => {
    const b = p.branch;
    stmt(
      db,
      'INSERT INTO branches (id, code, name, county, timezone, policy_pack_id) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(b.id, b.code, b.name, b.county, b.timezone, b.policyPackId);
    for (const u of p.users) {
      stmt(db, 'INSERT INTO users (id, branch_id, login, name, role) VALUES (?, ?, ?, ?, ?)').run(
        u.id,
        b.id,
        u.login,
        u.name,
        u.role,
      );
    }
    setMeta(db, META.branchId, b.id);
    setMeta(db, META.currentUserId, p.currentUserId);
    setMeta(db, META.demo, p.demo ? '1' : '0');
  })();
}

export interface BorrowerSeed {
  id: string;
  branchId: string;
  name: string;
  gender: 'F' | 'M' | null;
  idNumberMasked: string;
  county: string;
  township: string;
  village: string;
  address: string;
  /** IANA zone when the borrower lives elsewhere than the branch (conduct hours); null: the branch's. */
  timeZone?: string | null;
}

/** Writes a borrower with the name's pinyin (initials and full) for search. */
export function insertBorrower(db: LedgerDb, b: BorrowerSeed): void {
  const py = namePinyin(b.name);
  stmt(
    db,
    `INSERT INTO borrowers (id, branch_id, name, name_initials, name_pinyin, gender, id_number_masked, county, township, village, address, time_zone)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    b.id,
    b.branchId,
    b.name,
    py.initials,
    py.full,
    b.gender,
    b.idNumberMasked,
    b.county,
    b.township,
    b.village,
    b.address,
    b.timeZone ?? null,
  );
}

export interface ContactPointSeed {
  id: string;
  borrowerId: string;
  kind: 'mobile' | 'landline' | 'address';
  value: string;
  party: 'borrower' | 'spouse' | 'guarantor' | 'reference' | 'other_third_party';
  name: string | null;
  relation: string | null;
  status: 'active' | 'invalid';
}

export function insertContactPoint(db: LedgerDb, c: ContactPointSeed): void {
  stmt(
    db,
    `INSERT INTO contact_points (id, borrower_id, kind, value, party, name, relation, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(c.id, c.borrowerId, c.kind, c.value, c.party, c.name, c.relation, c.status);
}

export interface CaseSeed {
  id: string;
  branchId: string;
  borrowerId: string;
  township: string;
  village: string;
  openedOn: IsoDate;
  officerId: string;
  flags: { hardship: boolean; vulnerable: boolean; dispute: boolean; doNotContact: boolean };
  nextActionDate: IsoDate | null;
  /** 'open' (the column's default) unless said. */
  status?: 'open' | 'closed';
  /** The fields' clocks as JSON ('{}', the column's default, unless said). */
  fieldClocks?: string;
}

export function insertCase(db: LedgerDb, c: CaseSeed): void {
  stmt(
    db,
    `INSERT INTO cases (id, branch_id, borrower_id, township, village, route_key, opened_on, officer_id,
       flag_hardship, flag_vulnerable, flag_dispute, flag_do_not_contact, next_action_date, status, field_clocks)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.id,
    c.branchId,
    c.borrowerId,
    c.township,
    c.village,
    routeKey(c.township, c.village),
    c.openedOn,
    c.officerId,
    c.flags.hardship ? 1 : 0,
    c.flags.vulnerable ? 1 : 0,
    c.flags.dispute ? 1 : 0,
    c.flags.doNotContact ? 1 : 0,
    c.nextActionDate,
    c.status ?? 'open',
    c.fieldClocks ?? '{}',
  );
}

export interface LoanSeed {
  id: string;
  caseId: string;
  borrowerId: string;
  loanNo: string;
  product: string;
  principalFen: Fen;
  disbursedOn: IsoDate;
  termMonths: number;
  annualRatePct: number;
  snapshotAt: string;
  snapshotAsOf: IsoDate;
  schedule: Instalment[];
}

export function insertLoan(db: LedgerDb, l: LoanSeed): void {
  stmt(
    db,
    `INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months, annual_rate_pct, snapshot_at, snapshot_as_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    l.id,
    l.caseId,
    l.borrowerId,
    l.loanNo,
    l.product,
    l.principalFen,
    l.disbursedOn,
    l.termMonths,
    l.annualRatePct,
    l.snapshotAt,
    l.snapshotAsOf,
  );
  const insertInstalment = stmt(
    db,
    'INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen) VALUES (?, ?, ?, ?, ?)',
  );
  for (const i of l.schedule)
    insertInstalment.run(l.id, i.seq, i.dueDate, i.principalFen, i.interestFen);
}

export interface CoreRepaymentSeed {
  id: string;
  loanId: string;
  caseId: string;
  paidOn: IsoDate;
  amountFen: Fen;
  channel: 'auto_debit' | 'counter' | 'field';
  fieldReceiptNo: string | null;
}

export function insertCoreRepayment(db: LedgerDb, r: CoreRepaymentSeed): void {
  stmt(
    db,
    `INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel, field_receipt_no) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.caseId, r.loanId, r.id, r.paidOn, r.amountFen, r.channel, r.fieldReceiptNo);
}
