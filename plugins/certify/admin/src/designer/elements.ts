import type { DesignElement } from '../../../shared/contracts/templates';
import type { MediaFile } from '../api/client';
import { clampElement, newElementId } from './geometry';

export type NewElementKind = 'text' | 'qr' | 'photo' | 'rect' | 'line';

/** A new element of a kind, in the middle of the page, with defaults that render well. */
export const newElement = (kind: NewElementKind, page: [number, number], existing: DesignElement[]): DesignElement => {
  const [pw, ph] = page;
  const id = newElementId(kind, existing);
  const common = { id, x: pw / 2 - 40, y: ph / 2 - 8, width: 80, height: 14, z: existing.length };
  const el: DesignElement =
    kind === 'text'
      ? { ...common, type: 'text', field: 'name', fontSize: 24, align: 'center', color: '#111827' }
      : kind === 'qr'
        ? { ...common, type: 'qr', width: 28, height: 28 }
        : kind === 'photo'
          ? { ...common, type: 'photo', width: 40, height: 40, fit: 'cover', borderRadius: 4 }
          : { ...common, type: 'shape', shape: kind, height: kind === 'line' ? 2 : 20, stroke: '#1f2937', strokeWidth: 0.5 };
  return clampElement(el, page);
};

/** An image element for a media-library file, 40 mm wide at the file's aspect ratio. */
export const newImageElement = (file: MediaFile, page: [number, number], existing: DesignElement[]): DesignElement => {
  const [pw, ph] = page;
  const ratio = file.width && file.height ? file.height / file.width : 1;
  const width = 40;
  const height = Math.round(width * ratio * 2) / 2;
  return {
    id: newElementId('image', existing),
    type: 'image',
    fileId: file.id,
    fit: 'contain',
    x: pw / 2 - width / 2,
    y: ph / 2 - height / 2,
    width,
    height,
    z: existing.length,
  };
};
