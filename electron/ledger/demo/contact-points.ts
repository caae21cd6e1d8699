// Ways to reach a demo borrower: their mobile (now and then an old number that no longer
// works), a spouse, a guarantor or a reference for some, and the home address.
import type { ContactPointSeed } from '../seed';
import type { Party } from './case-draft';
import { demoUuidV7 } from './ids';
import { mobileNumber, personName, type Gender } from './names';
import type { ProductDef } from './products';
import type { Prng } from './prng';

const RELATIONS_REFERENCE = ['村委会主任', '村支书', '亲戚', '朋友'] as const;

export function contactPoints(
  prng: Prng,
  ms: number,
  borrowerId: string,
  gender: Gender,
  age: number,
  product: ProductDef,
  address: string,
): {
  all: ContactPointSeed[];
  borrowerMobile: ContactPointSeed | null;
  invalidMobile: ContactPointSeed | null;
  address: ContactPointSeed;
  thirdParties: Party[];
} {
  const all: ContactPointSeed[] = [];
  const id = (): string => demoUuidV7(ms, prng);
  let borrowerMobile: ContactPointSeed | null = null;
  let invalidMobile: ContactPointSeed | null = null;
  if (prng.chance(0.97)) {
    if (prng.chance(0.05)) {
      invalidMobile = {
        id: id(),
        borrowerId,
        kind: 'mobile',
        value: mobileNumber(prng),
        party: 'borrower',
        name: null,
        relation: null,
        status: 'invalid',
      };
      all.push(invalidMobile);
    }
    borrowerMobile = {
      id: id(),
      borrowerId,
      kind: 'mobile',
      value: mobileNumber(prng),
      party: 'borrower',
      name: null,
      relation: null,
      status: 'active',
    };
    all.push(borrowerMobile);
  }
  const thirdParties: Party[] = [];
  if (age < 70 && prng.chance(0.55)) {
    const point: ContactPointSeed = {
      id: id(),
      borrowerId,
      kind: 'mobile',
      value: mobileNumber(prng),
      party: 'spouse',
      name: personName(prng, gender === 'M' ? 'F' : 'M'),
      relation: '配偶',
      status: 'active',
    };
    all.push(point);
    thirdParties.push({ party: 'spouse', point });
  }
  if (prng.chance(product.guarantorShare)) {
    const point: ContactPointSeed = {
      id: id(),
      borrowerId,
      kind: 'mobile',
      value: mobileNumber(prng),
      party: 'guarantor',
      name: personName(prng, prng.chance(0.7) ? 'M' : 'F'),
      relation: product.code === 'LB' ? '联保小组成员' : '担保人',
      status: 'active',
    };
    all.push(point);
    thirdParties.push({ party: 'guarantor', point });
  }
  if (prng.chance(0.15)) {
    const point: ContactPointSeed = {
      id: id(),
      borrowerId,
      kind: 'mobile',
      value: mobileNumber(prng),
      party: 'reference',
      name: personName(prng, prng.chance(0.7) ? 'M' : 'F'),
      relation: prng.pick(RELATIONS_REFERENCE),
      status: 'active',
    };
    all.push(point);
    thirdParties.push({ party: 'reference', point });
  }
  const addressPoint: ContactPointSeed = {
    id: id(),
    borrowerId,
    kind: 'address',
    value: address,
    party: 'borrower',
    name: null,
    relation: null,
    status: 'active',
  };
  all.push(addressPoint);
  return { all, borrowerMobile, invalidMobile, address: addressPoint, thirdParties };
}
