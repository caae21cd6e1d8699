// Pull items for a device that speaks an older sync schema than the server: what that
// version's strict schemas would refuse is left out, so the device keeps applying
// everything else. Version 3 added a contact's conduct `override`, a reassignment's
// `fromOfficerId` and the 'override_review' fact kind.
import type { PullItem } from '../../shared/sync/records';

export function itemsForVersion(items: readonly PullItem[], version: number): PullItem[] {
  if (version >= 3) return [...items];
  const out: PullItem[] = [];
  for (const item of items) {
    if (item.type !== 'fact') {
      out.push(item);
      continue;
    }
    const f = item.fact;
    if (f.kind === 'override_review') continue;
    if (
      (f.kind === 'contact' && 'override' in f.payload) ||
      (f.kind === 'reassignment' && 'fromOfficerId' in f.payload)
    ) {
      const { override: _o, fromOfficerId: _f, ...payload } = f.payload;
      out.push({ type: 'fact', fact: { ...f, payload } });
      continue;
    }
    out.push(item);
  }
  return out;
}
