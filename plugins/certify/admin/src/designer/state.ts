import type { DesignDocument, DesignElement, TemplateInput } from '../../../shared/contracts/templates';
import { pageSizeMm, round } from './geometry';
import { boundsOf, snapMove, snapResize, type Box, type Guide } from './snap';

/**
 * The designer's state as one pure reducer: the template draft, the selection, a drag in
 * progress, and undo/redo over the whole draft (design, page, rules, HTML alike).
 */

export const HISTORY_LIMIT = 100;
export const MIN_WIDTH_MM = 2;
export const MIN_HEIGHT_MM = 1;
export const EMPTY_DESIGN: DesignDocument = { version: 1, fontFamily: 'Inter', elements: [] };

export type Edge = 'left' | 'centre' | 'right' | 'top' | 'middle' | 'bottom';

interface Drag {
  mode: 'move' | 'resize';
  /** The draft when the drag began: the whole drag is one undo step back to it. */
  before: TemplateInput;
  /** The dragged elements as they were: all selected ones for a move, the grabbed one for a resize. */
  origin: DesignElement[];
}

export interface DesignerState {
  draft: TemplateInput;
  /** The draft as last saved, serialised, to tell whether there are unsaved changes. */
  saved: string;
  selection: string[];
  past: TemplateInput[];
  future: TemplateInput[];
  /**
   * What the last change edited (e.g. "update:title:text"). A change to the same thing joins the
   * same undo step, so typing a name or holding an arrow key is undone at once.
   */
  lastKey: string | null;
  drag: Drag | null;
  /** The guides the dragged elements are snapped to, drawn on the canvas while dragging. */
  guides: Guide[];
}

export type DesignerAction =
  | { type: 'select'; id: string | null; additive?: boolean }
  | { type: 'edit'; patch: Partial<TemplateInput>; key?: string }
  | { type: 'editDesign'; patch: Partial<DesignDocument>; key?: string }
  | { type: 'add'; element: DesignElement }
  | { type: 'remove' }
  | { type: 'update'; id: string; patch: Partial<DesignElement> }
  | { type: 'nudge'; dx: number; dy: number }
  | { type: 'dragStart'; id: string; mode: Drag['mode'] }
  /** `dx`/`dy`: mm from where the drag started; `snapMm`: snap distance, 0 to place freely. */
  | { type: 'dragTo'; dx: number; dy: number; snapMm: number }
  | { type: 'dragEnd' }
  /** One element aligns to the page; several align to the box around them. */
  | { type: 'align'; edge: Edge }
  /** Centre the selection on the page, as one block. */
  | { type: 'centre' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'saved'; draft: TemplateInput };

export const initDesigner = (draft: TemplateInput): DesignerState => ({
  draft,
  saved: JSON.stringify(draft),
  selection: [],
  past: [],
  future: [],
  lastKey: null,
  drag: null,
  guides: [],
});

export const designOf = (draft: TemplateInput): DesignDocument => draft.design ?? EMPTY_DESIGN;
export const isDirty = (s: DesignerState) => JSON.stringify(s.draft) !== s.saved;
export const selectedElements = (s: DesignerState) => designOf(s.draft).elements.filter((e) => s.selection.includes(e.id));

const withElements = (draft: TemplateInput, elements: DesignElement[]): TemplateInput => ({
  ...draft,
  design: { ...designOf(draft), elements },
});

/** Replace elements by id with the given versions. */
const replaceElements = (draft: TemplateInput, changed: DesignElement[]): TemplateInput => {
  const byId = new Map(changed.map((e) => [e.id, e]));
  return withElements(draft, designOf(draft).elements.map((e) => byId.get(e.id) ?? e));
};

const moved = (el: DesignElement, dx: number, dy: number): DesignElement => ({ ...el, x: el.x + dx, y: el.y + dy });

/** Record a change as an undo step (or fold it into the last one when it edits the same thing). */
const commit = (s: DesignerState, draft: TemplateInput, key: string | null = null): DesignerState => {
  if (draft === s.draft) return s;
  const joins = key !== null && key === s.lastKey;
  return {
    ...s,
    draft,
    past: joins ? s.past : [...s.past, s.draft].slice(-HISTORY_LIMIT),
    future: [],
    lastKey: key,
  };
};

/** Keep only selected ids that still exist (after undo, redo or removal). */
const existing = (draft: TemplateInput, ids: string[]) => {
  const present = new Set(designOf(draft).elements.map((e) => e.id));
  return ids.filter((id) => present.has(id));
};

const align = (el: Box, edge: Edge, to: Box): Partial<Box> => {
  switch (edge) {
    case 'left':
      return { x: to.x };
    case 'centre':
      return { x: to.x + to.width / 2 - el.width / 2 };
    case 'right':
      return { x: to.x + to.width - el.width };
    case 'top':
      return { y: to.y };
    case 'middle':
      return { y: to.y + to.height / 2 - el.height / 2 };
    case 'bottom':
      return { y: to.y + to.height - el.height };
  }
};

const dragTo = (s: DesignerState, drag: Drag, dx: number, dy: number, snapMm: number): DesignerState => {
  const page = pageSizeMm(s.draft);
  const dragged = new Set(drag.origin.map((e) => e.id));
  const others = designOf(s.draft).elements.filter((e) => !dragged.has(e.id));

  if (drag.mode === 'move') {
    let shifted = drag.origin.map((e) => moved(e, round(dx), round(dy)));
    let guides: Guide[] = [];
    if (snapMm > 0) {
      const snap = snapMove(boundsOf(shifted), others, page, snapMm);
      shifted = shifted.map((e) => moved(e, snap.dx, snap.dy));
      guides = snap.guides;
    }
    return { ...s, draft: replaceElements(s.draft, shifted), guides };
  }

  const [orig] = drag.origin;
  let width = round(orig.width + dx);
  let height = round(orig.height + dy);
  let guides: Guide[] = [];
  if (snapMm > 0) {
    const snap = snapResize({ ...orig, width, height }, others, page, snapMm);
    width += snap.dx;
    height += snap.dy;
    guides = snap.guides;
  }
  const resized = { ...orig, width: Math.max(MIN_WIDTH_MM, width), height: Math.max(MIN_HEIGHT_MM, height) };
  // A guide the size limit kept the element from reaching is not shown.
  guides = guides.filter((g) => (g.axis === 'x' ? resized.x + resized.width === g.at : resized.y + resized.height === g.at));
  return { ...s, draft: replaceElements(s.draft, [resized]), guides };
};

export const designerReducer = (s: DesignerState, action: DesignerAction): DesignerState => {
  const elements = designOf(s.draft).elements;
  const selected = selectedElements(s);

  switch (action.type) {
    case 'select': {
      if (action.id === null) return { ...s, selection: [] };
      const id = action.id;
      if (!action.additive) return { ...s, selection: [id] };
      return { ...s, selection: s.selection.includes(id) ? s.selection.filter((x) => x !== id) : [...s.selection, id] };
    }
    case 'edit':
      return commit(s, { ...s.draft, ...action.patch }, action.key ? `edit:${action.key}` : null);
    case 'editDesign':
      return commit(s, { ...s.draft, design: { ...designOf(s.draft), ...action.patch } }, action.key ? `design:${action.key}` : null);
    case 'add':
      return { ...commit(s, withElements(s.draft, [...elements, action.element])), selection: [action.element.id] };
    case 'remove': {
      if (!selected.length) return s;
      const draft = withElements(s.draft, elements.filter((e) => !s.selection.includes(e.id)));
      return { ...commit(s, draft), selection: [] };
    }
    case 'update': {
      const el = elements.find((e) => e.id === action.id);
      if (!el) return s;
      const key = `update:${action.id}:${Object.keys(action.patch).sort().join(',')}`;
      return commit(s, replaceElements(s.draft, [{ ...el, ...action.patch } as DesignElement]), key);
    }
    case 'nudge': {
      if (!selected.length) return s;
      const draft = replaceElements(s.draft, selected.map((e) => moved(e, action.dx, action.dy)));
      return commit(s, draft, `nudge:${s.selection.join(',')}`);
    }
    case 'dragStart': {
      const el = elements.find((e) => e.id === action.id);
      if (!el) return s;
      const selection = s.selection.includes(el.id) ? s.selection : [el.id];
      const origin = action.mode === 'move' ? elements.filter((e) => selection.includes(e.id)) : [el];
      return { ...s, selection, drag: { mode: action.mode, before: s.draft, origin }, guides: [] };
    }
    case 'dragTo':
      return s.drag ? dragTo(s, s.drag, action.dx, action.dy, action.snapMm) : s;
    case 'dragEnd': {
      if (!s.drag) return s;
      const ended = { ...s, drag: null, guides: [] };
      const before = JSON.stringify(designOf(s.drag.before).elements);
      if (JSON.stringify(elements) === before) return { ...ended, draft: s.drag.before };
      // The drag's frames replaced the draft without history; it becomes one step here.
      return commit({ ...ended, draft: s.drag.before }, s.draft);
    }
    case 'align': {
      if (!selected.length) return s;
      const [pw, ph] = pageSizeMm(s.draft);
      const target = selected.length === 1 ? { x: 0, y: 0, width: pw, height: ph } : boundsOf(selected);
      return commit(s, replaceElements(s.draft, selected.map((e) => ({ ...e, ...align(e, action.edge, target) }) as DesignElement)));
    }
    case 'centre': {
      if (!selected.length) return s;
      const [pw, ph] = pageSizeMm(s.draft);
      const b = boundsOf(selected);
      const dx = pw / 2 - (b.x + b.width / 2);
      const dy = ph / 2 - (b.y + b.height / 2);
      return commit(s, replaceElements(s.draft, selected.map((e) => moved(e, dx, dy))));
    }
    case 'undo': {
      const previous = s.past[s.past.length - 1];
      if (!previous || s.drag) return s;
      return {
        ...s,
        draft: previous,
        past: s.past.slice(0, -1),
        future: [s.draft, ...s.future],
        lastKey: null,
        selection: existing(previous, s.selection),
      };
    }
    case 'redo': {
      const [next, ...rest] = s.future;
      if (!next || s.drag) return s;
      return {
        ...s,
        draft: next,
        past: [...s.past, s.draft].slice(-HISTORY_LIMIT),
        future: rest,
        lastKey: null,
        selection: existing(next, s.selection),
      };
    }
    case 'saved':
      return { ...s, saved: JSON.stringify(action.draft) };
    default:
      return s;
  }
};
