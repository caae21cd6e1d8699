// Writes new cases from core banking into the database in bulk: borrower, contact
// points, loans with their latest snapshot, the case and its first assignment, and the
// change rows that carry them to devices.
//
// The portfolio import (import-writer.ts) writes new loans through writePortfolioCases and
// updates existing ones itself; addPortfolioCases is the same write with its change rows
// appended at once (seed-demo, tests).
import type { ContactParty } from '../../shared/domain/types';
import { stampAfter } from '../../shared/sync/hlc';
import type { Queryable } from '../db/database';
import { ServerError } from '../errors';
import { appendChanges, type ChangeRow } from '../sync/change-feed';
import { newId } from '../model/ids';

export interface PortfolioInstalment {
  seq: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
  paidFen: number;
}

export interface PortfolioLoan {
  loanNo: string;
  product: string;
  principalFen: number;
  disbursedOn: string;
  termMonths: number;
  status: 'active' | 'closed';
  snapshot: {
    asOf: string;
    status: 'active' | 'closed';
    outstandingPrincipalFen: number;
    schedule: PortfolioInstalment[];
  };
}

export interface PortfolioCase {
  borrower: {
    externalRef?: string | null;
    name: string;
    gender?: 'F' | 'M' | null;
    idNumber?: string | null;
    township?: string;
    village?: string;
    county?: string;
    address?: string;
  };
  contactPoints: {
    kind: 'mobile' | 'landline' | 'address';
    value: string;
    party: ContactParty;
    name?: string | null;
    relation?: string | null;
  }[];
  loans: PortfolioLoan[];
  /** Officer id (already resolved by the caller), or null to leave the case unassigned. */
  officerId: string | null;
  /** 'closed' for a loan with nothing to collect yet (a current loan from an import). Default 'open'. */
  caseStatus?: 'open' | 'closed';
}

const CHUNK = 500;

export async function addPortfolioCases(
  tx: Queryable,
  branchId: string,
  cases: readonly PortfolioCase[],
  options: { assignedBy: string; now?: Date },
): Promise<string[]> {
  const written = await writePortfolioCases(tx, branchId, cases, options);
  await appendChanges(tx, written.changes);
  return written.caseIds;
}

export interface WrittenCases {
  caseIds: string[];
  /** The change rows for everything written; the caller appends them last (change-feed.ts). */
  changes: ChangeRow[];
}

/** addPortfolioCases without the change feed: the caller appends `changes` as its transaction's last step. */
export async function writePortfolioCases(
  tx: Queryable,
  branchId: string,
  cases: readonly PortfolioCase[],
  options: { assignedBy: string; now?: Date },
): Promise<WrittenCases> {
  const now = options.now ?? new Date();
  const stamp = stampAfter(null, now.getTime());
  const officerIds = [
    ...new Set(cases.map((c) => c.officerId).filter((id): id is string => id !== null)),
  ];
  if (officerIds.length > 0) {
    const ok = await tx.query<{ id: string }>(
      `select id from users where id = any($1::text[]) and branch_id = $2 and role = 'officer' and disabled_at is null`,
      [officerIds, branchId],
    );
    if (ok.length !== officerIds.length)
      throw new ServerError(
        'invalid_argument',
        'Every officer must be an active officer of the branch',
      );
  }
  const caseIds: string[] = [];
  const changes: ChangeRow[] = [];
  for (let start = 0; start < cases.length; start += CHUNK) {
    const chunk = cases.slice(start, start + CHUNK);
    const b = {
      id: [] as string[],
      ref: [] as (string | null)[],
      name: [] as string[],
      gender: [] as (string | null)[],
      idNo: [] as (string | null)[],
      township: [] as string[],
      village: [] as string[],
      county: [] as string[],
      address: [] as string[],
    };
    const c = {
      id: [] as string[],
      borrower: [] as string[],
      officer: [] as (string | null)[],
      clocks: [] as string[],
      status: [] as string[],
    };
    const a = { id: [] as string[], caseId: [] as string[], officer: [] as string[] };
    const cp = {
      id: [] as string[],
      borrower: [] as string[],
      kind: [] as string[],
      value: [] as string[],
      party: [] as string[],
      name: [] as (string | null)[],
      relation: [] as (string | null)[],
    };
    const l = {
      id: [] as string[],
      caseId: [] as string[],
      borrower: [] as string[],
      loanNo: [] as string[],
      product: [] as string[],
      principal: [] as number[],
      disbursed: [] as string[],
      term: [] as number[],
      status: [] as string[],
    };
    const s = {
      id: [] as string[],
      loan: [] as string[],
      asOf: [] as string[],
      status: [] as string[],
      outstanding: [] as number[],
      schedule: [] as string[],
    };
    for (const pc of chunk) {
      const borrowerId = newId();
      const caseId = newId();
      caseIds.push(caseId);
      b.id.push(borrowerId);
      b.ref.push(pc.borrower.externalRef ?? null);
      b.name.push(pc.borrower.name);
      b.gender.push(pc.borrower.gender ?? null);
      b.idNo.push(pc.borrower.idNumber ?? null);
      b.township.push(pc.borrower.township ?? '');
      b.village.push(pc.borrower.village ?? '');
      b.county.push(pc.borrower.county ?? '');
      b.address.push(pc.borrower.address ?? '');
      c.id.push(caseId);
      c.borrower.push(borrowerId);
      c.officer.push(pc.officerId);
      c.clocks.push(JSON.stringify(pc.officerId ? { officerId: stamp } : {}));
      c.status.push(pc.caseStatus ?? 'open');
      if (pc.officerId) {
        a.id.push(newId());
        a.caseId.push(caseId);
        a.officer.push(pc.officerId);
      }
      const row = (entity: ChangeRow['entity'], entityId: string): ChangeRow => ({
        entity,
        entityId,
        branchId,
        caseId,
        officerId: pc.officerId,
      });
      changes.push(row('borrower', borrowerId), row('case', caseId));
      for (const p of pc.contactPoints) {
        const id = newId();
        cp.id.push(id);
        cp.borrower.push(borrowerId);
        cp.kind.push(p.kind);
        cp.value.push(p.value);
        cp.party.push(p.party);
        cp.name.push(p.name ?? null);
        cp.relation.push(p.relation ?? null);
        changes.push(row('contact_point', id));
      }
      for (const loan of pc.loans) {
        const loanId = newId();
        l.id.push(loanId);
        l.caseId.push(caseId);
        l.borrower.push(borrowerId);
        l.loanNo.push(loan.loanNo);
        l.product.push(loan.product);
        l.principal.push(loan.principalFen);
        l.disbursed.push(loan.disbursedOn);
        l.term.push(loan.termMonths);
        l.status.push(loan.status);
        const snapId = newId();
        s.id.push(snapId);
        s.loan.push(loanId);
        s.asOf.push(loan.snapshot.asOf);
        s.status.push(loan.snapshot.status);
        s.outstanding.push(loan.snapshot.outstandingPrincipalFen);
        s.schedule.push(JSON.stringify(loan.snapshot.schedule));
        changes.push(row('loan', loanId), row('loan_snapshot', snapId));
      }
    }
    await tx.query(
      `insert into borrowers (id, branch_id, external_ref, name, gender, id_number, township, village, county, address)
       select id, $1, ref, name, gender, id_no, township, village, county, address
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           as t(id, ref, name, gender, id_no, township, village, county, address)`,
      [branchId, b.id, b.ref, b.name, b.gender, b.idNo, b.township, b.village, b.county, b.address],
    );
    await tx.query(
      `insert into cases (id, branch_id, borrower_id, officer_id, field_clocks, status)
       select id, $1, borrower, officer, clocks::jsonb, status
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(id, borrower, officer, clocks, status)`,
      [branchId, c.id, c.borrower, c.officer, c.clocks, c.status],
    );
    if (a.id.length > 0) {
      await tx.query(
        `insert into case_assignments (id, case_id, officer_id, assigned_by, hlc)
         select id, case_id, officer, $1, $2 from unnest($3::text[], $4::text[], $5::text[]) as t(id, case_id, officer)`,
        [options.assignedBy, stamp, a.id, a.caseId, a.officer],
      );
    }
    if (cp.id.length > 0) {
      await tx.query(
        `insert into contact_points (id, borrower_id, kind, value, party, contact_name, relation, hlc)
         select id, borrower, kind, value, party, name, relation, $1
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as t(id, borrower, kind, value, party, name, relation)`,
        [stamp, cp.id, cp.borrower, cp.kind, cp.value, cp.party, cp.name, cp.relation],
      );
    }
    if (l.id.length > 0) {
      await tx.query(
        `insert into loans (id, case_id, borrower_id, branch_id, loan_no, product, principal_fen, disbursed_on, term_months, status)
         select id, case_id, borrower, $1, loan_no, product, principal, disbursed::date, term, status
           from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::int[], $10::text[])
             as t(id, case_id, borrower, loan_no, product, principal, disbursed, term, status)`,
        [
          branchId,
          l.id,
          l.caseId,
          l.borrower,
          l.loanNo,
          l.product,
          l.principal,
          l.disbursed,
          l.term,
          l.status,
        ],
      );
      await tx.query(
        `insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
         select id, loan, as_of::date, status, outstanding, schedule::json
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[]) as t(id, loan, as_of, status, outstanding, schedule)`,
        [s.id, s.loan, s.asOf, s.status, s.outstanding, s.schedule],
      );
    }
  }
  return { caseIds, changes };
}
