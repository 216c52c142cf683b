/** A rectangle on the page, in mm. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line an edge or centre snapped to: `axis: 'x'` is a vertical line at x = `at`. */
export interface Guide {
  axis: 'x' | 'y';
  at: number;
}

type Axis = Guide['axis'];

const span = (b: Box, axis: Axis): [number, number] => (axis === 'x' ? [b.x, b.width] : [b.y, b.height]);

/** Start edge, centre and end edge of a box along one axis. */
const anchors = (b: Box, axis: Axis) => {
  const [start, size] = span(b, axis);
  return [start, start + size / 2, start + size];
};

/** The smallest box holding all of them. */
export const boundsOf = (boxes: Box[]): Box => {
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
};

/** Where things snap along one axis: the page's edges and centre line, then every other element's edges and centre. */
const snapLines = (page: [number, number], others: Box[], axis: Axis) => {
  const pageBox = { x: 0, y: 0, width: page[0], height: page[1] };
  return [pageBox, ...others].flatMap((b) => anchors(b, axis));
};

/** The smallest shift, within `threshold`, that puts one of `points` on one of `lines`. */
const nearest = (points: number[], lines: number[], threshold: number): { shift: number; at: number } | null => {
  let best: { shift: number; at: number } | null = null;
  for (const p of points) {
    for (const at of lines) {
      const shift = at - p;
      if (Math.abs(shift) <= threshold && (!best || Math.abs(shift) < Math.abs(best.shift))) best = { shift, at };
    }
  }
  return best;
};

export interface Snap {
  dx: number;
  dy: number;
  guides: Guide[];
}

const snapPoints = (pointsX: number[], pointsY: number[], page: [number, number], others: Box[], threshold: number): Snap => {
  const sx = nearest(pointsX, snapLines(page, others, 'x'), threshold);
  const sy = nearest(pointsY, snapLines(page, others, 'y'), threshold);
  const guides: Guide[] = [];
  if (sx) guides.push({ axis: 'x', at: sx.at });
  if (sy) guides.push({ axis: 'y', at: sy.at });
  return { dx: sx?.shift ?? 0, dy: sy?.shift ?? 0, guides };
};

/** How far to shift a moved box so that one of its edges or its centre lands on a guide. */
export const snapMove = (box: Box, others: Box[], page: [number, number], threshold: number): Snap =>
  snapPoints(anchors(box, 'x'), anchors(box, 'y'), page, others, threshold);

/** How far to grow a box resized from its bottom-right corner so that corner's edges land on a guide. */
export const snapResize = (box: Box, others: Box[], page: [number, number], threshold: number): Snap =>
  snapPoints([box.x + box.width], [box.y + box.height], page, others, threshold);
