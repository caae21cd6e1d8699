// Borrower data never reaches a log: what the redaction removes, and what it must leave
// alone so logs stay useful (ids, codes, amounts, times).
import { describe, expect, it } from 'vitest';
import { isSensitiveKey, redactText, redactValue, REDACTED } from '../../electron/support/redact';

describe('redactText', () => {
  it.each([
    [
      'a Chinese name',
      'contact recorded with 欧阳春燕 at the door',
      'contact recorded with [cjk] at the door',
    ],
    [
      'an address with house numbers',
      'visit to 平安县城关镇东关村1组1号 failed',
      'visit to [cjk] failed',
    ],
    ['a mobile number', 'sms to 13800000001 queued', 'sms to [phone] queued'],
    ['a mobile with +86 and spaces', 'call +86 138 0013 8000 dropped', 'call [phone] dropped'],
    ['a mobile with dashes', 'tel 139-1234-5678.', 'tel [phone].'],
    ['a masked mobile', 'borrower 138****5678', 'borrower [phone]'],
    ['a landline', 'office (0971)6123456 and 0971-6123456', 'office [phone] and [phone]'],
    ['an 18-digit ID number', 'id 63022119850315123X checked', 'id [id-number] checked'],
    ['a 15-digit ID number', 'old id 630221850315123', 'old id [id-number]'],
    ['a masked ID number', 'id 630221********1234', 'id [id-number]'],
    ['a bank card', 'card 6222 0212 3456 7890 123 on file', 'card [number] on file'],
    ['an e-mail address', 'mail zhang.wei@example.cn bounced', 'mail [email] bounced'],
  ])('removes %s', (_label, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('removes the values of personal keys inside text (inspected objects, JSON, query strings)', () => {
    expect(redactText('{ caseId: "c-1", borrowerName: "Ouyang Chunyan", hasPhone: true }')).toBe(
      '{ caseId: "c-1", borrowerName: "[redacted]", hasPhone: true }',
    );
    expect(redactText('{"name":"Zhang Wei","amountFen":5000}')).toBe(
      '{"name":"[redacted]","amountFen":5000}',
    );
    expect(redactText("{ note: 'will pay Friday', kind: 'visit' }")).toBe(
      `{ note: "[redacted]", kind: 'visit' }`,
    );
    expect(redactText('GET /search?name=Li&page=2')).toBe('GET /search?name="[redacted]"&page=2');
  });

  it("replaces the home folder (often a person's name) with ~", () => {
    expect(
      redactText('open C:\\Users\\zhangwei\\AppData\\Roaming\\fieldbook\\ledger', {
        homeDir: 'C:\\Users\\zhangwei',
      }),
    ).toBe('open ~\\AppData\\Roaming\\fieldbook\\ledger');
  });

  it.each([
    ['UUIDv7 ids', 'case 0193f3c2-7a1b-7c3d-8e4f-123456789012 updated'],
    ['instants', 'synced at 2026-11-28T02:00:00.000Z'],
    ['dates', 'business date 2026-11-28'],
    ['amounts in fen and counts', 'pushed 40 facts, 1200000 fen, 13 ms'],
    ['epoch milliseconds', 'clock 1795882969458'],
    ['error codes and hashes', 'refused: case_closed sha256 3f9a0c1277be41d09e035a6cd1f82b47'],
    ['version strings', 'Fieldbook 0.2.0 Electron 45.5.0 ABI 140'],
    ['a URL', 'GET https://fieldbook.example.cn/updates/stable/latest.yml 200'],
  ])('leaves %s alone', (_label, text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redactValue', () => {
  it('replaces personal and free-text fields by key, whatever they hold', () => {
    const record = {
      caseId: 'case-a-late',
      borrowerName: 'Zhang Guilan',
      name: 'Ouyang Chunyan',
      full_name: 'Chen Zhiqiang',
      phone: 13800000001,
      mobileNumber: 'unknown',
      'id-number': 'X',
      idCard: '630221198503151234',
      address: { line1: 'Dongguan village' },
      note: 'Said she will pay after the harvest; husband Wang is sick',
      outcomeText: 'promised',
      remarks: 'x',
      amountFen: 120000,
      branchName: 'Chengguan branch',
      hostname: 'laptop-07',
      fileName: 'portfolio.csv',
      context: 'sync',
    };
    expect(redactValue(record)).toEqual({
      caseId: 'case-a-late',
      borrowerName: REDACTED,
      name: REDACTED,
      full_name: REDACTED,
      phone: REDACTED,
      mobileNumber: REDACTED,
      'id-number': REDACTED,
      idCard: REDACTED,
      address: REDACTED,
      note: REDACTED,
      outcomeText: REDACTED,
      remarks: REDACTED,
      amountFen: 120000,
      branchName: 'Chengguan branch',
      hostname: 'laptop-07',
      fileName: 'portfolio.csv',
      context: 'sync',
    });
  });

  it('keeps booleans and nulls under personal keys (no data in them)', () => {
    expect(redactValue({ hasPhone: true, phone: null, address: undefined })).toEqual({
      hasPhone: true,
      phone: null,
      address: undefined,
    });
  });

  it('walks nested objects, arrays and Maps, and scans every string', () => {
    const input = {
      batch: [
        { kind: 'contact_point', payload: { value: '13800000002', party: 'borrower' } },
        'for 张桂兰',
      ],
      byCase: new Map([['case-1', { spouseName: 'Li' }]]),
    };
    expect(redactValue(input)).toEqual({
      batch: [
        { kind: 'contact_point', payload: { value: '[phone]', party: 'borrower' } },
        'for [cjk]',
      ],
      byCase: { 'case-1': { spouseName: REDACTED } },
    });
  });

  it('redacts error messages, stacks and extra fields, keeping the error usable', () => {
    const err = Object.assign(new Error('cannot open ledger for 陈志强 (13800000003)'), {
      code: 'ledger_locked',
      borrowerName: 'Chen',
    });
    const out = redactValue(err) as Error & { code: string; borrowerName: string };
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe('cannot open ledger for [cjk] ([phone])');
    expect(out.stack).not.toContain('13800000003');
    expect(out.stack).not.toContain('陈志强');
    expect(out.code).toBe('ledger_locked');
    expect(out.borrowerName).toBe(REDACTED);
  });

  it('survives cycles and very deep values, and does not change its input', () => {
    const a: Record<string, unknown> = { name: 'x', note: 'y' };
    a.self = a;
    let deep: Record<string, unknown> = { phone: '13800000001' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const out = redactValue({ a, deep }) as { a: { self: unknown } };
    expect(out.a.self).toBe('[circular]');
    expect(JSON.stringify(out)).not.toContain('13800000001');
    expect(a.name).toBe('x');
  });

  it('describes binary data by size instead of dumping it', () => {
    expect(redactValue({ body: 'x', blob: Buffer.from('13800000001') })).toEqual({
      body: REDACTED,
      blob: '[11 bytes]',
    });
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'name',
    'borrowerName',
    'borrower_name',
    'guarantor-name',
    'fullname',
    'phone',
    'phoneNumber',
    'mobile',
    'idNumber',
    'id_no',
    'idNumberMasked',
    'address',
    'village',
    'note',
    'notes',
    'freeText',
    'comment',
    'memo',
    'description',
    'email',
    'nameInitials',
  ])('%s is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));
  it.each([
    'caseId',
    'deviceId',
    'amountFen',
    'status',
    'hlc',
    'code',
    'context',
    'hostname',
    'fileName',
    'branchName',
    'kind',
    'party',
    'mutationId',
  ])('%s is not', (key) => expect(isSensitiveKey(key)).toBe(false));
});
