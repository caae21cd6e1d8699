// Which of the case's contact points fit a channel and the person the officer means to reach.
import type { ContactPointView } from '../../../../shared/api/contract';
import type { ContactChannel, ContactParty } from '../../../../shared/domain/types';

const KINDS_FOR_CHANNEL: Record<ContactChannel, readonly ContactPointView['kind'][]> = {
  call: ['mobile', 'landline'],
  sms: ['mobile'],
  visit: ['address'],
  letter: ['address'],
};

export function pointsFor(
  points: readonly ContactPointView[],
  channel: ContactChannel,
  party: ContactParty,
): ContactPointView[] {
  // Reaching nobody is an attempt at the borrower's own numbers and addresses.
  const owner = party === 'nobody' ? 'borrower' : party;
  return points.filter((p) => KINDS_FOR_CHANNEL[channel].includes(p.kind) && p.party === owner);
}

/** The first usable point for the plan, or undefined. */
export function defaultPointFor(
  points: readonly ContactPointView[],
  channel: ContactChannel,
  party: ContactParty,
): string | undefined {
  return pointsFor(points, channel, party).find((p) => p.status === 'active')?.id;
}

export function pointFits(
  points: readonly ContactPointView[],
  id: string | undefined,
  channel: ContactChannel,
  party: ContactParty,
): boolean {
  return id !== undefined && pointsFor(points, channel, party).some((p) => p.id === id);
}
