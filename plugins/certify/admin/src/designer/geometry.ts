import { PAGE_SIZES_MM, type DesignElement, type TemplateInput } from '../../../shared/contracts/templates';

/** Page width and height in mm for a template's size and orientation. */
export const pageSizeMm = (tpl: Pick<TemplateInput, 'pageSize' | 'orientation' | 'widthMm' | 'heightMm'>): [number, number] => {
  let w: number;
  let h: number;
  if (tpl.pageSize === 'custom') {
    w = Number(tpl.widthMm) || 297;
    h = Number(tpl.heightMm) || 210;
    return [w, h];
  }
  [w, h] = PAGE_SIZES_MM[tpl.pageSize ?? 'A4'];
  return (tpl.orientation ?? 'landscape') === 'landscape' ? [h, w] : [w, h];
};

/** 1 pt = 0.3528 mm. */
export const PT_TO_MM = 25.4 / 72;

export const round = (n: number, step = 0.5) => Math.round(n / step) * step;

export const clampElement = (el: DesignElement, [pw, ph]: [number, number]): DesignElement => {
  const width = Math.max(2, Math.min(el.width, pw));
  const height = Math.max(1, Math.min(el.height, ph));
  return { ...el, width, height, x: Math.max(-width / 2, Math.min(el.x, pw - width / 2)), y: Math.max(-height / 2, Math.min(el.y, ph - height / 2)) };
};

let counter = 0;
export const newElementId = (type: string, existing: DesignElement[]) => {
  const ids = new Set(existing.map((e) => e.id));
  let id = `${type}-${existing.length + 1}`;
  while (ids.has(id)) id = `${type}-${existing.length + 1 + ++counter}`;
  return id;
};
