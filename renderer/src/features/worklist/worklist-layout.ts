// Where each row and village header sits in the virtual list. Without grouping the list
// is the rows themselves; grouped by village, each village's header comes before its
// rows, in the ledger's order (township, then village, as the facets list them), with
// the village's case count.
// Positions come from the counts alone, so headers are right before any row is loaded.

export interface VillageGroup {
  township: string;
  village: string;
  count: number;
}

export type LayoutItem = { kind: 'row'; rowIndex: number } | { kind: 'header'; group: number };

export interface WorklistLayout {
  itemCount: number;
  item: (itemIndex: number) => LayoutItem;
  itemOfRow: (rowIndex: number) => number;
  /** The group a row sits under, or -1 without groups. */
  groupOfRow: (rowIndex: number) => number;
  /** The groups, when the layout has headers. */
  groups: readonly VillageGroup[] | null;
}

export function flatLayout(total: number): WorklistLayout {
  return {
    itemCount: total,
    item: (i) => ({ kind: 'row', rowIndex: i }),
    itemOfRow: (r) => r,
    groupOfRow: () => -1,
    groups: null,
  };
}

/**
 * Headers interleaved with rows. Returns null when the counts do not add up to the total
 * (the list changed between the two answers): the caller then shows the list ungrouped
 * rather than headers in the wrong places.
 */
export function groupedLayout(
  total: number,
  groups: readonly VillageGroup[],
): WorklistLayout | null {
  const nonEmpty = groups.filter((g) => g.count > 0);
  const sum = nonEmpty.reduce((s, g) => s + g.count, 0);
  if (sum !== total) return null;
  // items[i] >= 0: a row index; items[i] < 0: header of group -(items[i] + 1).
  const items = new Int32Array(total + nonEmpty.length);
  const rowToItem = new Int32Array(total);
  const rowToGroup = new Int32Array(total);
  let i = 0;
  let row = 0;
  nonEmpty.forEach((g, gi) => {
    items[i++] = -(gi + 1);
    for (let k = 0; k < g.count; k++) {
      rowToItem[row] = i;
      rowToGroup[row] = gi;
      items[i++] = row++;
    }
  });
  return {
    itemCount: items.length,
    item: (index) => {
      const v = items[index] ?? 0;
      return v >= 0 ? { kind: 'row', rowIndex: v } : { kind: 'header', group: -v - 1 };
    },
    itemOfRow: (r) => rowToItem[r] ?? r,
    groupOfRow: (r) => rowToGroup[r] ?? -1,
    groups: nonEmpty,
  };
}
