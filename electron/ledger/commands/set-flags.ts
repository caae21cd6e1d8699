// Case flags (hardship, vulnerable, dispute, do-not-contact) change only through a
// flag_change fact with a reason. The flag columns on the case are the fact's effect,
// each stamped with the fact's HLC in field_clocks (last writer wins on sync, as the
// server applies the same fact); the priority is derived again in the same transaction.
import type { RecordedFact } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import type { CaseFlags } from '../../../shared/domain/types';
import type { CaseFlagName } from '../../../shared/sync/mutations';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  commitFact,
  invalidInput,
  requireActor,
  requireOpenCase,
  stampFact,
  type ActorRef,
  type CaseRef,
} from './command';

const FLAG_COLUMNS: Record<CaseFlagName, string> = {
  hardship: 'flag_hardship',
  vulnerable: 'flag_vulnerable',
  dispute: 'flag_dispute',
  doNotContact: 'flag_do_not_contact',
};
const FLAG_ORDER: readonly CaseFlagName[] = ['hardship', 'vulnerable', 'dispute', 'doNotContact'];

export interface SetFlagsInput {
  caseId: string;
  flags: Partial<CaseFlags>;
  reason: string;
}

export function currentFlags(ledger: Ledger, caseId: string): CaseFlags {
  const r = stmt<{ h: number; v: number; d: number; n: number }>(
    ledger.db,
    `SELECT flag_hardship AS h, flag_vulnerable AS v, flag_dispute AS d, flag_do_not_contact AS n
     FROM cases WHERE id = ?`,
  ).get(caseId);
  return {
    hardship: r?.h === 1,
    vulnerable: r?.v === 1,
    dispute: r?.d === 1,
    doNotContact: r?.n === 1,
  };
}

/** One flag_change fact and its effect on the case; call inside the command's transaction. */
export function writeFlagChange(
  ledger: Ledger,
  actor: ActorRef,
  kase: CaseRef,
  flag: CaseFlagName,
  value: boolean,
  reason: string,
  now?: Date,
): FactRecord {
  const stamp = stampFact(ledger, now);
  stmt(
    ledger.db,
    `UPDATE cases SET ${FLAG_COLUMNS[flag]} = ?, field_clocks = json_set(field_clocks, '$."flags.${flag}"', ?) WHERE id = ?`,
  ).run(value ? 1 : 0, stamp.hlc, kase.id);
  const fact: FactRecord = {
    ...stamp,
    caseId: kase.id,
    recordedBy: actor.id,
    kind: 'flag_change',
    payload: { flag, value, reason },
  };
  commitFact(ledger, 'case.set_flag', fact);
  return fact;
}

/**
 * Records one flag_change fact per flag whose value changes (the sync protocol carries
 * one flag per fact) and returns the first. Asking for values the case already has is
 * refused ('flags_unchanged'), so a double click never records a change twice.
 */
export function setFlags(ledger: Ledger, actorId: string, input: SetFlagsInput): RecordedFact {
  return ledger.db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      const reason = input.reason.trim();
      if (!reason) throw invalidInput('reason', 'required', 'Say why the flags change');
      const current = currentFlags(ledger, kase.id);
      const now = ledger.clock.now();
      const changed = FLAG_ORDER.filter(
        (f) => input.flags[f] !== undefined && input.flags[f] !== current[f],
      );
      if (changed.length === 0) {
        throw new AppError('conflict', 'The case already has these flags', {
          reason: 'flags_unchanged',
        });
      }
      const facts = changed.map((f) =>
        writeFlagChange(ledger, actor, kase, f, input.flags[f] as boolean, reason, now),
      );
      const first = facts[0] as FactRecord;
      return {
        factId: first.id,
        caseId: first.caseId,
        kind: 'flag_change',
        occurredAt: first.occurredAt,
      };
    })
    .immediate();
}
