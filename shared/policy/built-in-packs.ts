// The packs shipped with the app. Validated when this module loads, so a broken pack
// fails at start-up (and in the unit tests), never in the middle of an officer's day.
import cnDefaultJson from '../../resources/policy-packs/cn-default.json';
import usRegfJson from '../../resources/policy-packs/us-regf.json';
import { parsePolicyPack, type PolicyPack } from './pack';

export const BUILT_IN_PACKS: readonly PolicyPack[] = [
  parsePolicyPack(cnDefaultJson),
  parsePolicyPack(usRegfJson),
];

export const DEFAULT_PACK_ID = 'cn-default';

/** The built-in pack with this id, or undefined. */
export function builtInPack(id: string): PolicyPack | undefined {
  return BUILT_IN_PACKS.find((p) => p.id === id);
}
