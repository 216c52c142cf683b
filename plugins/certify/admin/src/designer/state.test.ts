import type { DesignElement, TemplateInput, TextElement } from '../../../shared/contracts/templates';
import {
  designerReducer,
  designOf,
  HISTORY_LIMIT,
  initDesigner,
  isDirty,
  MIN_HEIGHT_MM,
  MIN_WIDTH_MM,
  type DesignerAction,
  type DesignerState,
} from './state';

// A4 landscape: 297 × 210 mm, centre lines at x = 148.5 and y = 105.
const text = (id: string, x: number, y: number, width = 40, height = 10): TextElement => ({ id, type: 'text', field: 'name', x, y, width, height });

const draftWith = (...elements: DesignElement[]): TemplateInput => ({
  name: 'Finisher',
  pageSize: 'A4',
  orientation: 'landscape',
  mode: 'designer',
  design: { version: 1, elements },
});

const run = (state: DesignerState, ...actions: DesignerAction[]) => actions.reduce(designerReducer, state);
const el = (s: DesignerState, id: string) => {
  const found = designOf(s.draft).elements.find((e) => e.id === id);
  if (!found) throw new Error(`no element ${id}`);
  return found;
};
const NO_SNAP = 0;

describe('designer state: moving and resizing', () => {
  it('moves a dragged element by the pointer distance, rounded to half millimetres', () => {
    const s = run(initDesigner(draftWith(text('a', 10, 10))), { type: 'dragStart', id: 'a', mode: 'move' }, { type: 'dragTo', dx: 20.3, dy: -4.1, snapMm: NO_SNAP }, { type: 'dragEnd' });
    expect(el(s, 'a')).toMatchObject({ x: 30.5, y: 6 });
    expect(s.selection).toEqual(['a']);
  });

  it('moves every selected element together', () => {
    const s = run(
      initDesigner(draftWith(text('a', 10, 10), text('b', 100, 50), text('c', 200, 150))),
      { type: 'select', id: 'a' },
      { type: 'select', id: 'b', additive: true },
      { type: 'dragStart', id: 'b', mode: 'move' },
      { type: 'dragTo', dx: 5, dy: 5, snapMm: NO_SNAP },
      { type: 'dragEnd' }
    );
    expect(el(s, 'a')).toMatchObject({ x: 15, y: 15 });
    expect(el(s, 'b')).toMatchObject({ x: 105, y: 55 });
    expect(el(s, 'c')).toMatchObject({ x: 200, y: 150 });
  });

  it('resizes from the corner and never below the minimum size', () => {
    const start = initDesigner(draftWith(text('a', 10, 10, 40, 10)));
    const grown = run(start, { type: 'dragStart', id: 'a', mode: 'resize' }, { type: 'dragTo', dx: 12, dy: 3, snapMm: NO_SNAP });
    expect(el(grown, 'a')).toMatchObject({ x: 10, y: 10, width: 52, height: 13 });

    const crushed = run(start, { type: 'dragStart', id: 'a', mode: 'resize' }, { type: 'dragTo', dx: -500, dy: -500, snapMm: NO_SNAP });
    expect(el(crushed, 'a')).toMatchObject({ width: MIN_WIDTH_MM, height: MIN_HEIGHT_MM });
  });

  it('nudges the selection with the arrow-key action', () => {
    const s = run(initDesigner(draftWith(text('a', 10, 10))), { type: 'select', id: 'a' }, { type: 'nudge', dx: 0.5, dy: -5 });
    expect(el(s, 'a')).toMatchObject({ x: 10.5, y: 5 });
  });
});

describe('designer state: snapping', () => {
  it('snaps an element centre to the page centre line and shows that guide', () => {
    // Unsnapped, the centre would be at 10 + 119 + 20 = 149: half a millimetre off the centre line.
    const s = run(initDesigner(draftWith(text('a', 10, 10, 40, 10))), { type: 'dragStart', id: 'a', mode: 'move' }, { type: 'dragTo', dx: 119, dy: 0, snapMm: 2 });
    const a = el(s, 'a');
    expect(a.x + a.width / 2).toBe(148.5);
    expect(s.guides).toContainEqual({ axis: 'x', at: 148.5 });
  });

  it("snaps an edge to another element's edge", () => {
    const s = run(
      initDesigner(draftWith(text('a', 10, 10, 40, 10), text('b', 100, 120, 60, 10))),
      { type: 'dragStart', id: 'a', mode: 'move' },
      // a's left edge lands at 101, 1 mm from b's left edge at 100.
      { type: 'dragTo', dx: 91, dy: 60, snapMm: 2 }
    );
    expect(el(s, 'a').x).toBe(100);
    expect(s.guides).toContainEqual({ axis: 'x', at: 100 });
  });

  it('does not snap beyond the threshold, nor when snapping is off', () => {
    const start = initDesigner(draftWith(text('a', 10, 10, 40, 10), text('b', 100, 120, 60, 10)));
    const far = run(start, { type: 'dragStart', id: 'a', mode: 'move' }, { type: 'dragTo', dx: 95, dy: 60, snapMm: 2 });
    expect(el(far, 'a').x).toBe(105);
    const off = run(start, { type: 'dragStart', id: 'a', mode: 'move' }, { type: 'dragTo', dx: 91, dy: 60, snapMm: 0 });
    expect(el(off, 'a').x).toBe(101);
    expect(off.guides).toEqual([]);
  });

  it("snaps a resized corner to the page edge and to another element's centre", () => {
    const s = run(
      initDesigner(draftWith(text('a', 250, 10, 40, 10), text('b', 0, 100, 10, 10))),
      { type: 'dragStart', id: 'a', mode: 'resize' },
      // right edge 250 + 46 = 296 → page edge 297; bottom 10 + 94 = 104 → b's centre line 105.
      { type: 'dragTo', dx: 6, dy: 84, snapMm: 2 }
    );
    expect(el(s, 'a')).toMatchObject({ width: 47, height: 95 });
    expect(s.guides).toEqual([{ axis: 'x', at: 297 }, { axis: 'y', at: 105 }]);
  });

  it('clears the guides when the drag ends', () => {
    const s = run(initDesigner(draftWith(text('a', 10, 10))), { type: 'dragStart', id: 'a', mode: 'move' }, { type: 'dragTo', dx: -9, dy: 0, snapMm: 2 }, { type: 'dragEnd' });
    expect(el(s, 'a').x).toBe(0);
    expect(s.guides).toEqual([]);
  });
});

describe('designer state: centring and aligning', () => {
  it('centres one element on the page', () => {
    const s = run(initDesigner(draftWith(text('a', 10, 10, 40, 10))), { type: 'select', id: 'a' }, { type: 'centre' });
    expect(el(s, 'a')).toMatchObject({ x: 128.5, y: 100 });
  });

  it('centres several elements as one block, keeping their spacing', () => {
    const s = run(
      initDesigner(draftWith(text('a', 0, 0, 20, 10), text('b', 30, 20, 20, 10))),
      { type: 'select', id: 'a' },
      { type: 'select', id: 'b', additive: true },
      { type: 'centre' }
    );
    // The block is 50 × 30: it starts at (123.5, 90).
    expect(el(s, 'a')).toMatchObject({ x: 123.5, y: 90 });
    expect(el(s, 'b')).toMatchObject({ x: 153.5, y: 110 });
  });

  it('aligns one element to the page edges', () => {
    const start = run(initDesigner(draftWith(text('a', 10, 10, 40, 10))), { type: 'select', id: 'a' });
    expect(el(designerReducer(start, { type: 'align', edge: 'right' }), 'a').x).toBe(257);
    expect(el(designerReducer(start, { type: 'align', edge: 'bottom' }), 'a').y).toBe(200);
  });

  it('aligns several elements to the box around them', () => {
    const start = run(
      initDesigner(draftWith(text('a', 10, 10, 40, 10), text('b', 100, 50, 20, 20))),
      { type: 'select', id: 'a' },
      { type: 'select', id: 'b', additive: true }
    );
    const left = designerReducer(start, { type: 'align', edge: 'left' });
    expect([el(left, 'a').x, el(left, 'b').x]).toEqual([10, 10]);
    const centred = designerReducer(start, { type: 'align', edge: 'centre' });
    // The box spans x 10…120: centre 65.
    expect([el(centred, 'a').x, el(centred, 'b').x]).toEqual([45, 55]);
    const bottom = designerReducer(start, { type: 'align', edge: 'bottom' });
    expect([el(bottom, 'a').y, el(bottom, 'b').y]).toEqual([60, 50]);
  });
});

describe('designer state: undo and redo', () => {
  it('undoes and redoes an added element and a property change', () => {
    const s0 = initDesigner(draftWith());
    const s1 = run(s0, { type: 'add', element: text('a', 10, 10) }, { type: 'update', id: 'a', patch: { fontSize: 30 } });
    const undone = run(s1, { type: 'undo' });
    expect(el(undone, 'a')).not.toHaveProperty('fontSize');
    const twice = run(undone, { type: 'undo' });
    expect(designOf(twice.draft).elements).toEqual([]);
    expect(twice.selection).toEqual([]);
    const redone = run(twice, { type: 'redo' }, { type: 'redo' });
    expect(el(redone, 'a')).toMatchObject({ fontSize: 30 });
  });

  it('makes a whole drag one undo step, not one per pointer move', () => {
    const s = run(
      initDesigner(draftWith(text('a', 10, 10))),
      { type: 'dragStart', id: 'a', mode: 'move' },
      { type: 'dragTo', dx: 1, dy: 1, snapMm: NO_SNAP },
      { type: 'dragTo', dx: 5, dy: 5, snapMm: NO_SNAP },
      { type: 'dragTo', dx: 20, dy: 30, snapMm: NO_SNAP },
      { type: 'dragEnd' }
    );
    expect(s.past).toHaveLength(1);
    expect(el(run(s, { type: 'undo' }), 'a')).toMatchObject({ x: 10, y: 10 });
  });

  it('adds no undo step for a click that moves nothing', () => {
    const start = initDesigner(draftWith(text('a', 10, 10)));
    const s = run(start, { type: 'dragStart', id: 'a', mode: 'move' }, { type: 'dragTo', dx: 0.1, dy: 0, snapMm: NO_SNAP }, { type: 'dragEnd' });
    expect(s.past).toHaveLength(0);
    expect(isDirty(s)).toBe(false);
  });

  it('clears the redo stack when a new change is made', () => {
    const s = run(initDesigner(draftWith(text('a', 10, 10))), { type: 'update', id: 'a', patch: { color: '#ff0000' } }, { type: 'undo' });
    expect(s.future).toHaveLength(1);
    const changed = run(s, { type: 'update', id: 'a', patch: { fontSize: 12 } });
    expect(changed.future).toEqual([]);
    expect(run(changed, { type: 'redo' })).toBe(changed);
  });

  it('folds typing into one field into one step, but not edits of different fields', () => {
    const s = run(
      initDesigner(draftWith(text('a', 10, 10))),
      { type: 'edit', patch: { name: 'F' }, key: 'name' },
      { type: 'edit', patch: { name: 'Fi' }, key: 'name' },
      { type: 'edit', patch: { name: 'Fin' }, key: 'name' },
      { type: 'update', id: 'a', patch: { text: 'H' } },
      { type: 'update', id: 'a', patch: { text: 'Hi' } }
    );
    expect(s.past).toHaveLength(2);
    expect(run(s, { type: 'undo' }).draft.name).toBe('Fin');
    expect(run(s, { type: 'undo' }, { type: 'undo' }).draft.name).toBe('Finisher');
  });

  it('keeps at most the history limit', () => {
    let s = initDesigner(draftWith(text('a', 0, 0)));
    s = run(s, { type: 'select', id: 'a' });
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) s = run(s, { type: 'align', edge: i % 2 ? 'left' : 'right' });
    expect(s.past).toHaveLength(HISTORY_LIMIT);
  });

  it('tells a saved draft from an edited one, and an undo back to the saved state is clean', () => {
    const s = run(initDesigner(draftWith(text('a', 10, 10))), { type: 'update', id: 'a', patch: { fontSize: 40 } });
    expect(isDirty(s)).toBe(true);
    expect(isDirty(run(s, { type: 'saved', draft: s.draft }))).toBe(false);
    expect(isDirty(run(s, { type: 'undo' }))).toBe(false);
  });
});
