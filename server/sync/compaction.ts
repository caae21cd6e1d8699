// Drops old change rows. Devices whose cursor is older than what remains get
// resync_required and start again from a snapshot, keeping their pending mutations.
import type { Database } from '../db/database';
import { FEED_LOCK } from './change-feed';

export async function compactChangeFeed(
  db: Database,
  olderThanDays: number,
): Promise<{ removed: number; floorSeq: number }> {
  return db.transaction(async (tx) => {
    // Holding the feed lock: no row can be allocated below the new floor while it moves.
    await tx.query('select pg_advisory_xact_lock($1)', [FEED_LOCK]);
    const cut = await tx.query<{ seq: number | null }>(
      `select max(seq) as seq from changes where created_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
    const floor = cut[0]?.seq ?? null;
    if (floor === null) {
      const state = await tx.query<{ feed_floor_seq: number }>(
        'select feed_floor_seq from server_state',
      );
      return { removed: 0, floorSeq: state[0]?.feed_floor_seq ?? 0 };
    }
    const removed = await tx.query<{ seq: number }>(
      'delete from changes where seq <= $1 returning seq',
      [floor],
    );
    await tx.query('update server_state set feed_floor_seq = greatest(feed_floor_seq, $1)', [
      floor,
    ]);
    return { removed: removed.length, floorSeq: floor };
  });
}
