// A mutation the server will not apply: a stable reason code and words for a person.
// Thrown inside the mutation's savepoint, so whatever it had written is rolled back.
import type { RefusalCode } from '../../shared/sync/protocol';

export type RefusalParams = Record<string, string | number | boolean | null>;

export class Refusal extends Error {
  readonly reason: RefusalCode;
  readonly params: RefusalParams;

  constructor(reason: RefusalCode, message: string, params: RefusalParams = {}) {
    super(message);
    this.name = 'Refusal';
    this.reason = reason;
    this.params = params;
  }
}
