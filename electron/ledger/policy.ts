// The rules of a branch's policy pack that the ledger needs to derive case state:
// promise grace days and the delinquency buckets. Packs live in resources/policy-packs
// and are validated by shared/policy; an unknown pack id falls back to the default
// pack rather than leaving a branch with no rules.
import type { BucketDef } from '../../shared/domain/buckets';
import { builtInPack, DEFAULT_PACK_ID } from '../../shared/policy/built-in-packs';
import type { PolicyPack } from '../../shared/policy/pack';

export interface LedgerPolicy {
  /** The pack actually in force (the default one when the branch's id is unknown). */
  packId: string;
  pack: PolicyPack;
  /** Days after a promise's due date in which a payment still keeps it. */
  promiseGraceDays: number;
  buckets: readonly BucketDef[];
}

export function ledgerPolicyFor(packId: string): LedgerPolicy {
  const pack = builtInPack(packId) ?? builtInPack(DEFAULT_PACK_ID);
  if (!pack) throw new Error(`the default policy pack ${DEFAULT_PACK_ID} is missing`);
  return { packId: pack.id, pack, promiseGraceDays: pack.promiseGraceDays, buckets: pack.buckets };
}
