// Case counts per village for the grouped worklist (section headers to plan a day's
// route). The contract has no per-group count, so each village in the filter's scope is
// counted with a one-row worklist.list call (the ledger answers with the filtered total);
// the calls are local and run together. The facets list villages in the order the ledger
// groups them (township, then village, in pinyin order), so the headers follow it.
import { useEffect, useState } from 'react';
import type { WorklistFacets } from '../../../../shared/api/contract';
import { invoke } from '../../api/client';
import type { WorklistFilterQuery } from './use-worklist-data';
import type { VillageGroup } from './worklist-layout';

export interface VillageGroups {
  /** Key of the query the groups were counted for. */
  key: string;
  groups: VillageGroup[];
}

export function useVillageGroups(
  query: WorklistFilterQuery,
  key: string,
  facets: WorklistFacets | undefined,
  enabled: boolean,
): VillageGroups | null {
  const [result, setResult] = useState<VillageGroups | null>(null);
  const queryJson = JSON.stringify(query);

  useEffect(() => {
    if (!enabled || !facets) return;
    const q = JSON.parse(queryJson) as WorklistFilterQuery;
    const villages = facets.townships
      .filter((t) => !q.township || t.name === q.township)
      .flatMap((t) =>
        t.villages
          .filter((v) => !q.village || v === q.village)
          .map((village) => ({ township: t.name, village })),
      );
    let cancelled = false;
    Promise.all(
      villages.map(async (v) => {
        const page = await invoke('worklist.list', {
          ...q,
          groupBy: 'none',
          township: v.township,
          village: v.village,
          offset: 0,
          limit: 1,
        });
        return { ...v, count: page.total };
      }),
    )
      .then((groups) => {
        if (!cancelled) setResult({ key, groups: groups.filter((g) => g.count > 0) });
      })
      .catch(() => {
        // Without counts the list is shown ungrouped; the list's own error says what failed.
        if (!cancelled) setResult({ key, groups: [] });
      });
    return () => {
      cancelled = true;
    };
  }, [queryJson, key, facets, enabled]);

  return enabled && result?.key === key ? result : null;
}
