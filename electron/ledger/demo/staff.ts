// The demo branch's people: field officers (each with their own laptop, so their own
// device id and receipt prefix) and a branch manager. Villages are split among the
// officers in contiguous runs, so an officer's patch is a few neighbouring villages.
import type { UserRole } from '../../../shared/domain/types';
import { hlcNodeFor } from '../hlc';
import { demoUuidV7 } from './ids';
import { givenName, surname, type Gender } from './names';
import { VILLAGE_WEIGHTS, type VillageRef } from './places';
import type { Prng } from './prng';

export interface DemoStaffMember {
  id: string;
  login: string;
  name: string;
  role: UserRole;
  deviceId: string;
  /** HLC node id of the device (hlcNodeFor(deviceId)). */
  hlcNode: string;
  receiptPrefix: string;
  /** Receipts issued so far on this member's device. */
  receiptSeq: number;
}

export interface DemoStaff {
  officers: DemoStaffMember[];
  manager: DemoStaffMember;
  officerFor(place: VillageRef): DemoStaffMember;
  /** Who goes along on a visit: the officer working the neighbouring patch, sometimes the manager. */
  secondCollectorFor(officer: DemoStaffMember, prng: Prng): DemoStaffMember;
}

const PREFIX_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function member(
  prng: Prng,
  createdMs: number,
  login: string,
  role: UserRole,
  usedPrefixes: Set<string>,
): DemoStaffMember {
  const gender: Gender = prng.chance(0.7) ? 'M' : 'F';
  const letters = PREFIX_ALPHABET.split('');
  const drawPrefix = (): string => Array.from({ length: 4 }, () => prng.pick(letters)).join('');
  let receiptPrefix = drawPrefix();
  while (usedPrefixes.has(receiptPrefix)) receiptPrefix = drawPrefix();
  usedPrefixes.add(receiptPrefix);
  const id = demoUuidV7(createdMs, prng);
  const name = surname(prng) + givenName(prng, gender);
  const deviceId = demoUuidV7(createdMs, prng);
  return {
    id,
    login,
    name,
    role,
    deviceId,
    hlcNode: hlcNodeFor(deviceId),
    receiptPrefix,
    receiptSeq: 0,
  };
}

export function makeStaff(prng: Prng, officerCount: number, createdMs: number): DemoStaff {
  if (!Number.isInteger(officerCount) || officerCount < 1)
    throw new RangeError('at least one officer');
  const used = new Set<string>();
  const officers = Array.from({ length: officerCount }, (_, i) =>
    member(prng, createdMs, `officer${String(i + 1).padStart(2, '0')}`, 'officer', used),
  );
  const manager = member(prng, createdMs, 'manager01', 'manager', used);
  const villageCount = VILLAGE_WEIGHTS.length;
  const officerByVillage = new Map<string, DemoStaffMember>();
  VILLAGE_WEIGHTS.forEach(([place], v) => {
    officerByVillage.set(
      `${place.township}/${place.village}`,
      officers[Math.floor((v * officerCount) / villageCount)] as DemoStaffMember,
    );
  });
  return {
    officers,
    manager,
    officerFor: (place) =>
      officerByVillage.get(`${place.township}/${place.village}`) as DemoStaffMember,
    secondCollectorFor: (officer, p) => {
      const k = officers.indexOf(officer);
      const partner = officers[k ^ 1] ?? officers[k - 1];
      return !partner || partner === officer || p.chance(0.15) ? manager : partner;
    },
  };
}
