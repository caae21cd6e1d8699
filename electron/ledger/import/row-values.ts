// What the desktop import makes of one validated core-banking row, shared by the writers
// of new and of known loans.
import type { PortfolioRow } from '../../../shared/import/fields';

/** Core-banking lines this import writes carry this id prefix; other core lines are left alone. */
export const IMPORT_LINE_PREFIX = 'import:';

export function isDelinquent(row: PortfolioRow): boolean {
  return row.daysPastDue > 0 || row.arrearsFen > 0;
}

/** Devices keep '110***********1234', never a whole identity number (as the server sends it). */
export function maskIdNumber(idNumber: string | null): string {
  if (!idNumber) return '';
  if (idNumber.length <= 7) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

export function phoneKind(phone: string): 'mobile' | 'landline' {
  return /^1\d{10}$/.test(phone) ? 'mobile' : 'landline';
}

export interface RowPhone {
  value: string;
  party: 'borrower' | 'guarantor';
  name: string | null;
}

/** The row's phone numbers, each once: the borrower's, then the guarantor's. */
export function rowPhones(row: PortfolioRow): RowPhone[] {
  const out: RowPhone[] = [];
  const add = (value: string | null, party: RowPhone['party'], name: string | null): void => {
    if (value && !out.some((p) => p.value === value)) out.push({ value, party, name });
  };
  add(row.phone, 'borrower', null);
  for (const p of row.otherPhones) add(p, 'borrower', null);
  add(row.guarantorPhone, 'guarantor', row.guarantorName);
  return out;
}
