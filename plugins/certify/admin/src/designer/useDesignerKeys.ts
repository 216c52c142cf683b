import * as React from 'react';

import type { DesignerAction } from './state';

const NUDGE_MM = 0.5;
const NUDGE_SHIFT_MM = 5;

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** Typing in a field keeps the browser's own keys (its undo, its caret moves). */
const isTyping = (target: EventTarget | null) => {
  const el = target as HTMLElement | null;
  return Boolean(
    el && (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable || el.closest('[role="dialog"],[role="listbox"]'))
  );
};

/**
 * The designer's keys: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, arrows nudge the
 * selection (Shift: 5 mm), Delete/Backspace remove it, Escape deselects.
 */
export const useDesignerKeys = (dispatch: React.Dispatch<DesignerAction>, { canEdit, hasSelection }: { canEdit: boolean; hasSelection: boolean }) => {
  React.useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && canEdit && (key === 'z' || key === 'y')) {
        e.preventDefault();
        dispatch({ type: key === 'y' || e.shiftKey ? 'redo' : 'undo' });
        return;
      }
      if (!hasSelection) return;
      if (e.key === 'Escape') {
        dispatch({ type: 'select', id: null });
      } else if (canEdit && ARROWS[e.key]) {
        e.preventDefault();
        const step = e.shiftKey ? NUDGE_SHIFT_MM : NUDGE_MM;
        const [dx, dy] = ARROWS[e.key];
        dispatch({ type: 'nudge', dx: dx * step, dy: dy * step });
      } else if (canEdit && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        dispatch({ type: 'remove' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch, canEdit, hasSelection]);
};
