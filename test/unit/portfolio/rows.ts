// Row builders for the hand-made portfolios of the metric tests: only what a test cares
// about is written out; the rest takes a harmless default.
import type { CaseRow, ContactRow, LoanSnapshot } from '../../../shared/domain/portfolio';

export function snap(
  loanId: string,
  asOf: string,
  fields: Partial<Omit<LoanSnapshot, 'loanId' | 'asOf'>> = {},
): LoanSnapshot {
  return {
    loanId,
    caseId: `case-${loanId}`,
    officerId: 'officer-1',
    asOf,
    outstandingPrincipalFen: 0,
    overduePrincipalFen: 0,
    arrearsFen: 0,
    daysPastDue: 0,
    bucket: '',
    restructured: false,
    status: 'active',
    ...fields,
  };
}

export function contact(
  contactId: string,
  businessDate: string,
  fields: Partial<Omit<ContactRow, 'contactId' | 'businessDate'>> = {},
): ContactRow {
  return {
    contactId,
    caseId: 'case-1',
    officerId: 'officer-1',
    businessDate,
    channel: 'call',
    party: 'borrower',
    outcome: 'refused',
    ...fields,
  };
}

export function caseRow(caseId: string, fields: Partial<Omit<CaseRow, 'caseId'>> = {}): CaseRow {
  return {
    caseId,
    officerId: 'officer-1',
    status: 'open',
    balanceFen: 0,
    lastContactOn: null,
    ...fields,
  };
}
