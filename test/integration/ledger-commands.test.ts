// Ledger commands: each writes the fact, the case's derived state, the outbox row and
// the audit entry in one transaction — all of it or none of it.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { entryHash, verifyAuditChain, type AuditRow } from '../../electron/ledger/audit';
import {
  recordContact,
  recordPayment,
  recordPromise,
  reversePayment,
} from '../../electron/ledger/commands';
import { openLedger } from '../../electron/ledger/db';
import { bindLedger } from '../../electron/ledger/ledger';
import { getMeta, META } from '../../electron/ledger/meta';
import { pendingMutations } from '../../electron/ledger/outbox';
import { fixedClock } from '../../electron/ledger/clock';
import { hlcNodeFor } from '../../electron/ledger/hlc';
import { caseUpdatePayloadSchema, factPayloadSchema } from '../../shared/sync/mutations';
import { hlcSchema } from '../../shared/sync/hlc';
import { buildFixture, IDS, NOW, type Fixture } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function fixture(): Fixture {
  const f = buildFixture();
  cleanups.push(f.cleanup);
  return f;
}

interface CaseRow {
  dpd: number;
  bucket: string;
  arrears_fen: number;
  outstanding_fen: number;
  last_contact_at: string | null;
  last_contact_channel: string | null;
  next_action_date: string | null;
  field_clocks: string;
  promise_status: string | null;
  priority_reasons: string;
}

function caseRow(f: Fixture, id: string): CaseRow {
  return f.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow;
}

function counts(f: Fixture): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of [
    'facts',
    'contacts',
    'promises',
    'payments',
    'payment_reversals',
    'outbox',
    'audit',
  ]) {
    out[t] = f.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  }
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError
      ? `${err.code}:${String(err.params.field ?? err.params.reason ?? '')}`
      : `other:${String(err)}`;
  }
  return 'no error';
}

describe('recordContact', () => {
  it('writes the fact, updates the worklist row, queues it for sync and audits it', () => {
    const f = fixture();
    const before = caseRow(f, IDS.caseLate);
    expect(before.dpd).toBe(74);
    expect(before.bucket).toBe('M3');
    expect(before.arrears_fen).toBe(300_000);
    expect(JSON.parse(before.priority_reasons)).toContainEqual({ code: 'never_contacted' });

    const recorded = recordContact(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      channel: 'visit',
      party: 'borrower',
      contactPointId: IDS.addressLate,
      outcome: 'hardship',
      note: '家中有人住院',
      secondCollectorId: IDS.officer2,
    });
    expect(recorded).toMatchObject({ caseId: IDS.caseLate, kind: 'contact', occurredAt: NOW });

    const fact = f.db.prepare('SELECT * FROM facts WHERE id = ?').get(recorded.factId) as Record<
      string,
      unknown
    >;
    expect(fact).toMatchObject({
      case_id: IDS.caseLate,
      business_date: '2026-11-28',
      recorded_by: IDS.officer,
      device_id: f.ledger.deviceId,
    });
    expect(JSON.parse(fact.payload as string)).toMatchObject({
      channel: 'visit',
      outcome: 'hardship',
      secondCollectorId: IDS.officer2,
    });

    const after = caseRow(f, IDS.caseLate);
    expect(after).toMatchObject({ last_contact_at: NOW, last_contact_channel: 'visit', dpd: 74 });
    expect(JSON.parse(after.priority_reasons)).not.toContainEqual({ code: 'never_contacted' });

    const outbox = pendingMutations(f.db);
    expect(outbox).toHaveLength(1);
    // In the sync protocol's shape, ready to push.
    expect(outbox[0]).toMatchObject({
      kind: 'fact',
      caseId: IDS.caseLate,
      userId: IDS.officer,
      status: 'pending',
      payload: {
        factKind: 'contact',
        factId: recorded.factId,
        channel: 'visit',
        outcome: 'hardship',
        secondCollectorId: IDS.officer2,
      },
    });
    expect(factPayloadSchema.safeParse(outbox[0]?.payload).success).toBe(true);
    expect(hlcSchema.safeParse(outbox[0]?.hlc).success).toBe(true);
    expect(f.db.prepare('SELECT action, entity_id FROM audit').all()).toEqual([
      { action: 'contact.record', entity_id: recorded.factId },
    ]);
  });

  it('sets the next action date with its own clock stamp and sync mutation', () => {
    const f = fixture();
    recordContact(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'nobody',
      outcome: 'no_answer',
      nextActionDate: '2026-12-01',
    });
    const row = caseRow(f, IDS.caseLate);
    expect(row.next_action_date).toBe('2026-12-01');
    const stamp = (JSON.parse(row.field_clocks) as Record<string, string>).nextActionDate;
    expect(stamp).toMatch(new RegExp(`^${NOW}-0000-${hlcNodeFor(f.ledger.deviceId)}$`));
    const pending = pendingMutations(f.db);
    expect(pending.map((m) => m.kind)).toEqual(['case_update', 'fact']);
    expect(pending[0]).toMatchObject({ hlc: stamp, payload: { nextActionDate: '2026-12-01' } });
    expect(caseUpdatePayloadSchema.safeParse(pending[0]?.payload).success).toBe(true);
    const ids = pendingMutations(f.db).map((m) => m.mutationId);
    expect(ids[1]).toBeGreaterThan(ids[0] as number);
  });

  it('refuses what is never valid, with a code the UI can act on', () => {
    const f = fixture();
    const base = {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'refused',
    } as const;
    expect(
      codeOf(() => recordContact(f.ledger, IDS.officer, { ...base, caseId: 'no-such-case' })),
    ).toBe('not_found:');
    expect(codeOf(() => recordContact(f.ledger, 'nobody', base))).toBe('forbidden:unknown_user');
    expect(
      codeOf(() =>
        recordContact(f.ledger, IDS.officer, { ...base, contactPointId: IDS.mobileCurrent }),
      ),
    ).toBe('invalid_input:contactPointId');
    expect(
      codeOf(() =>
        recordContact(f.ledger, IDS.officer, { ...base, secondCollectorId: IDS.officer2 }),
      ),
    ).toBe('invalid_input:secondCollectorId');
    expect(
      codeOf(() =>
        recordContact(f.ledger, IDS.officer, {
          ...base,
          channel: 'visit',
          secondCollectorId: IDS.officer,
        }),
      ),
    ).toBe('invalid_input:secondCollectorId');
    expect(
      codeOf(() => recordContact(f.ledger, IDS.officer, { ...base, nextActionDate: '2026-11-27' })),
    ).toBe('invalid_input:nextActionDate');
    // A visit without a second collector is what the conduct rules refuse (CBA 2026 art. 22).
    expect(codeOf(() => recordContact(f.ledger, IDS.officer, { ...base, channel: 'visit' }))).toBe(
      'forbidden:conduct',
    );
    expect(counts(f).facts).toBe(0);
  });

  it('leaves nothing half-written when the last step fails', () => {
    const f = fixture();
    const before = {
      counts: counts(f),
      row: caseRow(f, IDS.caseLate),
      hlc: getMeta(f.db, META.hlcLast),
    };
    // Simulate the disk refusing the audit entry, the last write of the command.
    f.db.exec(
      `CREATE TRIGGER audit_fails BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`,
    );
    expect(() =>
      recordContact(f.ledger, IDS.officer, {
        caseId: IDS.caseLate,
        channel: 'call',
        party: 'borrower',
        outcome: 'promise_to_pay',
        nextActionDate: '2026-12-02',
      }),
    ).toThrow(/simulated/);
    expect(counts(f)).toEqual(before.counts);
    expect(caseRow(f, IDS.caseLate)).toEqual(before.row);
    expect(getMeta(f.db, META.hlcLast)).toBe(before.hlc);
    f.db.exec('DROP TRIGGER audit_fails');
    // The same command then succeeds in full.
    recordContact(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'promise_to_pay',
    });
    expect(counts(f)).toMatchObject({ facts: 1, contacts: 1, outbox: 1, audit: 1 });
  });
});

describe('payments, promises and reversals', () => {
  it('numbers receipts from the device prefix and its own sequence, across restarts', () => {
    const f = fixture();
    const prefix = getMeta(f.db, META.receiptPrefix) as string;
    expect(prefix).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    const r1 = recordPayment(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 50_000,
      method: 'cash',
    });
    const r2 = recordPayment(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 20_000,
      method: 'wechat_pay',
    });
    expect([r1.receiptNo, r2.receiptNo]).toEqual([`${prefix}-000001`, `${prefix}-000002`]);
    f.db.close();
    const db = openLedger({ file: f.file, key: f.key });
    const reopened = bindLedger(db, fixedClock(NOW));
    const r3 = recordPayment(reopened, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 10_000,
      method: 'alipay',
    });
    expect(r3.receiptNo).toBe(`${prefix}-000003`);
    db.close();
  });

  it('a field payment lowers arrears and DPD at once; its reversal puts them back', () => {
    const f = fixture();
    // ¥1,000 pays the 15 Sep instalment: the oldest unpaid is now 15 Oct, 44 days.
    const paid = recordPayment(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 100_000,
      method: 'cash',
    });
    expect(caseRow(f, IDS.caseLate)).toMatchObject({
      dpd: 44,
      bucket: 'M2',
      arrears_fen: 200_000,
      outstanding_fen: 1_100_000,
    });

    const reversal = reversePayment(f.ledger, IDS.officer, {
      paymentFactId: paid.factId,
      reason: '收据金额录入错误',
    });
    expect(reversal.kind).toBe('payment_reversal');
    expect(caseRow(f, IDS.caseLate)).toMatchObject({
      dpd: 74,
      bucket: 'M3',
      arrears_fen: 300_000,
      outstanding_fen: 1_200_000,
    });
    // The payment itself is untouched: the correction is a new fact.
    expect(
      f.db.prepare('SELECT amount_fen FROM payments WHERE fact_id = ?').pluck().get(paid.factId),
    ).toBe(100_000);
    expect(
      codeOf(() =>
        reversePayment(f.ledger, IDS.officer, { paymentFactId: paid.factId, reason: 'again' }),
      ),
    ).toBe('conflict:already_reversed');
    expect(
      codeOf(() => reversePayment(f.ledger, IDS.officer, { paymentFactId: 'nope', reason: 'x' })),
    ).toBe('not_found:');
    expect(counts(f)).toMatchObject({ payments: 1, payment_reversals: 1, outbox: 2, audit: 2 });
    // Both go out in the sync protocol's shape: the payment, then the reversal pointing at it.
    const pending = pendingMutations(f.db);
    expect(pending.map((m) => m.payload)).toMatchObject([
      { factKind: 'payment', factId: paid.factId, amountFen: 100_000, receiptNo: paid.receiptNo },
      { factKind: 'payment_reversal', paymentFactId: paid.factId, reason: '收据金额录入错误' },
    ]);
    for (const m of pending) expect(factPayloadSchema.safeParse(m.payload).success).toBe(true);
  });

  it('a promise shows as pending, then kept once the money comes', () => {
    const f = fixture();
    recordPromise(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 150_000,
      dueDate: '2026-12-05',
    });
    expect(caseRow(f, IDS.caseLate).promise_status).toBe('pending');
    const promise = pendingMutations(f.db)[0]?.payload;
    expect(promise).toMatchObject({
      factKind: 'promise',
      madeOn: '2026-11-28',
      dueDate: '2026-12-05',
      amountFen: 150_000,
    });
    expect(factPayloadSchema.safeParse(promise).success).toBe(true);
    recordPayment(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 150_000,
      method: 'cash',
    });
    expect(caseRow(f, IDS.caseLate).promise_status).toBe('kept');
    expect(
      codeOf(() =>
        recordPromise(f.ledger, IDS.officer, {
          caseId: IDS.caseLate,
          amountFen: 0,
          dueDate: '2026-12-05',
        }),
      ),
    ).toBe('invalid_input:amountFen');
    expect(
      codeOf(() =>
        recordPromise(f.ledger, IDS.officer, {
          caseId: IDS.caseLate,
          amountFen: 100,
          dueDate: '2026-11-01',
        }),
      ),
    ).toBe('invalid_input:dueDate');
  });
});

describe('append-only facts and the audit chain', () => {
  it('facts cannot be edited or deleted, not even by SQL', () => {
    const f = fixture();
    const paid = recordPayment(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 100_000,
      method: 'cash',
    });
    expect(() =>
      f.db.prepare('UPDATE payments SET amount_fen = 1 WHERE fact_id = ?').run(paid.factId),
    ).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM facts WHERE id = ?').run(paid.factId)).toThrow(
      /append-only/,
    );
    expect(() =>
      f.db.prepare(`UPDATE facts SET payload = '{}' WHERE id = ?`).run(paid.factId),
    ).toThrow(/append-only/);
  });

  it('verifies an intact chain and finds the entry that was tampered with', () => {
    const f = fixture();
    recordContact(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'refused',
    });
    recordPayment(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      amountFen: 100_000,
      method: 'cash',
    });
    recordContact(f.ledger, IDS.officer, {
      caseId: IDS.caseOther,
      channel: 'sms',
      party: 'nobody',
      outcome: 'no_answer',
    });
    const intact = verifyAuditChain(f.db);
    expect(intact).toMatchObject({ ok: true, entries: 3 });

    // Someone with the key drops the guard and rewrites who recorded the payment.
    f.db.exec('DROP TRIGGER audit_no_update');
    f.db.prepare(`UPDATE audit SET actor_id = ? WHERE seq = 2`).run(IDS.officer2);
    expect(verifyAuditChain(f.db)).toMatchObject({
      ok: false,
      brokenAtSeq: 2,
      reason: 'hash_mismatch',
    });

    // Recomputing the forged entry's own hash does not help: the next entry still points
    // at the original.
    const forged = f.db.prepare('SELECT * FROM audit WHERE seq = 2').get() as AuditRow;
    const { hash: _old, ...fields } = forged;
    f.db.prepare('UPDATE audit SET hash = ? WHERE seq = 2').run(entryHash(fields));
    expect(verifyAuditChain(f.db)).toMatchObject({
      ok: false,
      brokenAtSeq: 3,
      reason: 'prev_hash_mismatch',
    });

    // Removing an entry breaks the chain too.
    f.db.exec('DROP TRIGGER audit_no_delete');
    f.db.prepare('DELETE FROM audit WHERE seq = 2').run();
    expect(verifyAuditChain(f.db)).toMatchObject({
      ok: false,
      brokenAtSeq: 3,
      reason: 'sequence_gap',
    });
  });
});
