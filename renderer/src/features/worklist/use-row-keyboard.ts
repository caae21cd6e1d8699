// Keyboard work on a list: ↑/↓ move a highlighted row, PageUp/PageDown by a screenful,
// Home/End jump to the ends, Enter opens it, '/' jumps to the search box. Listens on the
// window so the officer need not click into the list first, but stays out of the way
// while typing in a field, using a dropdown, or on another screen.
import { useCallback, useEffect, useState } from 'react';

export interface RowKeyboard {
  /** -1 when nothing is highlighted yet: the first ↓ highlights the first row. */
  activeIndex: number;
  setActiveIndex: (index: number) => void;
}

export interface RowKeyboardOptions {
  rowCount: number;
  /** Rows that fit on screen: how far PageUp / PageDown move. */
  pageRows: number;
  enabled: boolean;
  onOpen: (index: number) => void;
  onFocusSearch: () => void;
  /** Changes when the rows are replaced (a new filter): the highlight starts over. */
  resetKey: string;
}

/** Fields and dropdowns use the arrow keys themselves. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    target.closest(
      'input, textarea, select, [role="combobox"], [role="listbox"], .ant-select, .ant-cascader, .ant-picker',
    ) !== null
  );
}

/** Enter on a focused button or link belongs to that control. */
function isActivatable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.closest('button, a[href], [role="button"], label, .ant-segmented') !== null;
}

export function useRowKeyboard({
  rowCount,
  pageRows,
  enabled,
  onOpen,
  onFocusSearch,
  resetKey,
}: RowKeyboardOptions): RowKeyboard {
  const [state, setState] = useState({ index: -1, resetKey });
  // Derived reset instead of an effect, so a new filter never shows a stale highlight.
  const activeIndex = state.resetKey === resetKey ? Math.min(state.index, rowCount - 1) : -1;

  const setActiveIndex = useCallback((index: number) => setState({ index, resetKey }), [resetKey]);

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTypingTarget(event.target)) return;
      if (event.key === '/') {
        event.preventDefault();
        onFocusSearch();
        return;
      }
      if (rowCount === 0) return;
      const step = Math.max(1, pageRows - 1);
      let next: number;
      switch (event.key) {
        case 'ArrowDown':
          next = Math.min(activeIndex + 1, rowCount - 1);
          break;
        case 'ArrowUp':
          next = Math.max(activeIndex - 1, 0);
          break;
        case 'PageDown':
          next = Math.min(Math.max(activeIndex, 0) + step, rowCount - 1);
          break;
        case 'PageUp':
          next = Math.max(activeIndex - step, 0);
          break;
        case 'Home':
          next = 0;
          break;
        case 'End':
          next = rowCount - 1;
          break;
        case 'Enter':
          if (activeIndex >= 0 && !isActivatable(event.target)) {
            event.preventDefault();
            onOpen(activeIndex);
          }
          return;
        default:
          return;
      }
      event.preventDefault();
      setState({ index: next, resetKey });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, rowCount, pageRows, activeIndex, onOpen, onFocusSearch, resetKey]);

  return { activeIndex, setActiveIndex };
}
