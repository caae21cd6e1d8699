// The JavaScript half of writing one chunk of a portfolio import: the validated rows as
// columns (one array per column) that one statement unnests into a temporary table
// (import-statements.ts). Everything that needs no database is done here (the snapshot's
// schedule, ids for whatever the row may create, contact points), while the database still
// writes the previous chunk.
import { planLoanSnapshot } from '../../shared/import/loan-snapshot';
import type { InstalmentPosition } from '../../shared/domain/schedule';
import type { PortfolioRow } from '../../shared/import/fields';
import { newId } from '../model/ids';

export function isDelinquent(row: Pick<PortfolioRow, 'daysPastDue' | 'arrearsFen'>): boolean {
  return row.daysPastDue > 0 || row.arrearsFen > 0;
}

type ScheduleInstalment = Pick<
  InstalmentPosition,
  'seq' | 'dueDate' | 'principalFen' | 'interestFen' | 'paidFen'
>;

/**
 * The snapshot's schedule as JSON text, the same text JSON.stringify writes for
 * { seq, dueDate, principalFen, interestFen, paidFen } per instalment, written directly
 * (one flat string per instalment, joined once: ~20 % less CPU than building the objects
 * and stringifying them, for some two million instalments in a 100,000-row file; adding
 * to one string instead is three times slower, as V8 then flattens a rope of ropes).
 * Every value is an integer or an ISO date, which need no escaping; anything else is
 * refused rather than written as invalid JSON.
 */
export function scheduleJson(instalments: readonly ScheduleInstalment[]): string {
  const parts: string[] = [];
  for (const i of instalments) {
    if (
      !Number.isSafeInteger(i.seq) ||
      !Number.isSafeInteger(i.principalFen) ||
      !Number.isSafeInteger(i.interestFen) ||
      !Number.isSafeInteger(i.paidFen) ||
      !ISO_DATE.test(i.dueDate)
    )
      throw new RangeError(`instalment ${i.seq} of a rebuilt schedule is not whole fen and a date`);
    parts.push(
      `{"seq":${i.seq},"dueDate":"${i.dueDate}","principalFen":${i.principalFen},"interestFen":${i.interestFen},"paidFen":${i.paidFen}}`,
    );
  }
  return `[${parts.join(',')}]`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Mobile numbers are 11 digits starting with 1; anything else the parser kept is a landline. */
export function phoneKind(phone: string): 'mobile' | 'landline' {
  return /^1\d{10}$/.test(phone) ? 'mobile' : 'landline';
}

/**
 * One chunk, column by column as the statements unnest it (import-statements.ts). The *New
 * ids are used only when the loan is new (or, for the snapshot, when the loan has none for
 * the file's date yet).
 */
export interface ChunkColumns {
  loanNo: string[];
  name: string[];
  idNo: (string | null)[];
  township: string[];
  village: string[];
  county: string[];
  address: string[];
  product: string[];
  principal: number[];
  disbursed: string[];
  term: number[];
  asOf: string[];
  outstanding: number[];
  /** The snapshot's schedule as JSON text (scheduleJson): PostgreSQL parses it once, into the snapshot. */
  schedule: string[];
  delinquent: string[];
  /** The file's officer for the loan (a user id), or null. */
  officer: (string | null)[];
  borrowerNew: string[];
  caseNew: string[];
  loanNew: string[];
  snapNew: string[];
  assignNew: string[];
}

/** The contact points the rows name, one entry per number; inserted unless the borrower has it. */
export interface ChunkContacts {
  /** The row's position in the chunk. */
  row: number[];
  id: string[];
  kind: string[];
  value: string[];
  party: string[];
  name: (string | null)[];
}

export interface PreparedChunk {
  rows: number;
  columns: ChunkColumns;
  contacts: ChunkContacts;
  /** Loan numbers the file lists in this chunk, rejected rows included (full imports). */
  seen: readonly string[];
  /** Officer ids the chunk may assign, to check once against the branch's officers. */
  officers: ReadonlySet<string>;
  /** Rows whose rebuilt schedule could not show all of the file's figures. */
  approximate: number;
}

function emptyColumns(): ChunkColumns {
  return {
    loanNo: [],
    name: [],
    idNo: [],
    township: [],
    village: [],
    county: [],
    address: [],
    product: [],
    principal: [],
    disbursed: [],
    term: [],
    asOf: [],
    outstanding: [],
    schedule: [],
    delinquent: [],
    officer: [],
    borrowerNew: [],
    caseNew: [],
    loanNew: [],
    snapNew: [],
    assignNew: [],
  };
}

function emptyContacts(): ChunkContacts {
  return { row: [], id: [], kind: [], value: [], party: [], name: [] };
}

/**
 * Builds a chunk row by row as the file is read, so the work is spread between reads and
 * the database's answers to the chunk in flight are not kept waiting behind it.
 */
export class ChunkBuilder {
  private columns = emptyColumns();
  private contacts = emptyContacts();
  private seenNos: string[] = [];
  private officers = new Set<string>();
  private approximate = 0;

  constructor(private readonly officerOf: (row: PortfolioRow) => string | null) {}

  get rows(): number {
    return this.columns.loanNo.length;
  }

  get seen(): number {
    return this.seenNos.length;
  }

  /** A loan number the file lists (full imports close the active loans it does not). */
  addSeen(loanNo: string): void {
    this.seenNos.push(loanNo);
  }

  add(row: PortfolioRow): void {
    const c = this.columns;
    const n = c.loanNo.length;
    const plan = planLoanSnapshot(row);
    if (!plan.exact) this.approximate++;
    const officer = this.officerOf(row);
    if (officer !== null) this.officers.add(officer);
    c.loanNo.push(row.loanNo);
    c.name.push(row.borrowerName);
    c.idNo.push(row.idNumber);
    c.township.push(row.township ?? '');
    c.village.push(row.village ?? '');
    c.county.push(row.county ?? '');
    c.address.push(row.address ?? '');
    c.product.push(row.product ?? '');
    c.principal.push(row.principalFen);
    c.disbursed.push(row.disbursedOn);
    c.term.push(row.termMonths);
    c.asOf.push(row.asOfDate);
    c.outstanding.push(row.outstandingFen);
    c.schedule.push(scheduleJson(plan.position.instalments));
    c.delinquent.push(isDelinquent(row) ? 't' : 'f');
    c.officer.push(officer);
    c.borrowerNew.push(newId());
    c.caseNew.push(newId());
    c.loanNew.push(newId());
    c.snapNew.push(newId());
    c.assignNew.push(newId());
    const numbers = new Set<string>();
    const contact = (value: string, party: 'borrower' | 'guarantor', name: string | null): void => {
      // A number once per row: the first mention (the borrower's own before the guarantor's) wins.
      if (numbers.has(value)) return;
      numbers.add(value);
      const p = this.contacts;
      p.row.push(n);
      p.id.push(newId());
      p.kind.push(phoneKind(value));
      p.value.push(value);
      p.party.push(party);
      p.name.push(name);
    };
    for (const phone of [row.phone, ...row.otherPhones])
      if (phone) contact(phone, 'borrower', null);
    if (row.guarantorPhone) contact(row.guarantorPhone, 'guarantor', row.guarantorName);
  }

  /** The chunk so far; the builder starts empty again. */
  take(): PreparedChunk {
    const chunk: PreparedChunk = {
      rows: this.columns.loanNo.length,
      columns: this.columns,
      contacts: this.contacts,
      seen: this.seenNos,
      officers: this.officers,
      approximate: this.approximate,
    };
    this.columns = emptyColumns();
    this.contacts = emptyContacts();
    this.seenNos = [];
    this.officers = new Set();
    this.approximate = 0;
    return chunk;
  }
}
