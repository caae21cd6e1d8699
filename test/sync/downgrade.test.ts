// A device on sync schema 2 never receives what its strict schemas would refuse.
import { describe, expect, it } from 'vitest';
import { factPayloadSchema } from '../../shared/sync/mutations';
import type { FactRecord, PullItem } from '../../shared/sync/records';
import { itemsForVersion } from '../../server/sync/downgrade';

const at = '2026-11-28T02:00:00.000Z';
function fact(
  kind: FactRecord['kind'] | 'override_review',
  payload: Record<string, unknown>,
): PullItem {
  return {
    type: 'fact',
    fact: {
      id: `f-${kind}`,
      caseId: 'c1',
      kind: kind as FactRecord['kind'],
      recordedBy: 'u1',
      deviceId: 'd1',
      occurredAt: at,
      hlc: `${at}-0000-00000000000000aa`,
      payload: { factKind: kind, factId: `f-${kind}`, occurredAt: at, ...payload },
      flags: [],
      receivedAt: at,
    },
  };
}

describe('pull items for an older device', () => {
  const items = [
    fact('contact', {
      channel: 'call',
      party: 'borrower',
      outcome: 'no_answer',
      override: { reason: '借款人要求晚上回电', ruleCodes: ['quiet_hours'] },
    }),
    fact('reassignment', { toOfficerId: 'o2', fromOfficerId: 'o1', reason: '调整' }),
    fact('override_review', { contactFactId: 'f-contact' }),
    { type: 'case_removed', caseId: 'c9' } as PullItem,
  ];

  it('version 3 gets everything as it is', () => {
    expect(itemsForVersion(items, 3)).toEqual(items);
  });

  it('version 2 gets no review and payloads without the version 3 members', () => {
    const old = itemsForVersion(items, 2);
    expect(old.map((i) => (i.type === 'fact' ? i.fact.kind : i.type))).toEqual([
      'contact',
      'reassignment',
      'case_removed',
    ]);
    for (const i of old) {
      if (i.type !== 'fact') continue;
      expect(i.fact.payload).not.toHaveProperty('override');
      expect(i.fact.payload).not.toHaveProperty('fromOfficerId');
      // What is left is valid for the version 2 schema too (it lacked only these members).
      expect(factPayloadSchema.safeParse(i.fact.payload).success).toBe(true);
    }
    expect(items[0]!.type === 'fact' && items[0]!.fact.payload).toHaveProperty('override');
  });
});
