// A free-text note on a case. The text is checked against the pack's abusive-word lists
// and the terms found are stored with the note (a gentle warning for the officer, and
// something the manager can see); a note is never refused for its wording.
import type { RecordedFact } from '../../../shared/api/contract';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import {
  commitFact,
  invalidInput,
  optionalText,
  requireActor,
  requireOpenCase,
  stampFact,
  wordingFlags,
} from './command';

export interface RecordNoteInput {
  caseId: string;
  text: string;
}

export function recordNote(ledger: Ledger, actorId: string, input: RecordNoteInput): RecordedFact {
  return ledger.db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      const text = optionalText(input.text);
      if (text === null) throw invalidInput('text', 'required', 'A note needs some text');
      const fact: FactRecord = {
        ...stampFact(ledger),
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'note',
        payload: { text, flaggedTerms: wordingFlags(ledger, text) },
      };
      commitFact(ledger, 'note.record', fact);
      return { factId: fact.id, caseId: fact.caseId, kind: 'note', occurredAt: fact.occurredAt };
    })
    .immediate();
}
