import { RECORD_DATA_FIELDS } from './records';

/**
 * Certificate templates: the design document the admin designer edits and the server renders.
 * Positions and sizes are in millimetres from the top-left corner of the page, font sizes in
 * points, rotation in degrees clockwise around the element's centre.
 */

export type PageSize = 'A4' | 'Letter' | 'A5' | 'custom';
export type Orientation = 'landscape' | 'portrait';
export type TemplateMode = 'designer' | 'html';

/** Page sizes in millimetres, portrait (width, height). */
export const PAGE_SIZES_MM: Record<Exclude<PageSize, 'custom'>, [number, number]> = {
  A4: [210, 297],
  Letter: [215.9, 279.4],
  A5: [148, 210],
};

interface ElementBase {
  /** Unique within the design; errors name it. */
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  rotation?: number;
  /** Stacking order: higher is on top. */
  z?: number;
  opacity?: number;
}

export interface TextElement extends ElementBase {
  type: 'text';
  /** A record field (e.g. "name", "extra.club"); used when `text` is empty. */
  field?: string;
  /** Handlebars expression mixing fields and literals, e.g. "{{ordinal rankOverall}} of {{event.name}}". */
  text?: string;
  fontFamily?: string;
  fontWeight?: number;
  italic?: boolean;
  /** Points. */
  fontSize?: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
  verticalAlign?: 'top' | 'middle' | 'bottom';
  /** Em. */
  letterSpacing?: number;
  lineHeight?: number;
  uppercase?: boolean;
  /** Single line, shrunk down to `minFontSize` until it fits the box (long names). */
  shrinkToFit?: boolean;
  minFontSize?: number;
  /** Wrap onto several lines instead of one (ignored with shrinkToFit). */
  wrap?: boolean;
}

export interface ImageElement extends ElementBase {
  type: 'image';
  /** Media library file id (numeric id or documentId). */
  fileId: number | string;
  fit?: 'contain' | 'cover';
}

export interface QrElement extends ElementBase {
  type: 'qr';
  /** Encodes the certificate's verify URL. */
  color?: string;
  background?: string;
}

export interface PhotoElement extends ElementBase {
  type: 'photo';
  /** The participant's best photo, cropped to the frame. */
  fit?: 'cover' | 'contain';
  /** Millimetres; a large value makes a circle. */
  borderRadius?: number;
  borderColor?: string;
  borderWidth?: number;
}

export interface ShapeElement extends ElementBase {
  type: 'shape';
  shape: 'rect' | 'ellipse' | 'line';
  fill?: string;
  stroke?: string;
  /** Millimetres. */
  strokeWidth?: number;
  borderRadius?: number;
}

export type DesignElement = TextElement | ImageElement | QrElement | PhotoElement | ShapeElement;

export interface DesignDocument {
  version: 1;
  /** How the background image covers the page. */
  backgroundFit?: 'cover' | 'contain' | 'stretch';
  backgroundColor?: string;
  /** Default font of text elements without their own. */
  fontFamily?: string;
  elements: DesignElement[];
}

/** Rule conditions that route a record to a template (any template without rules is a fallback). */
export interface TemplateRules {
  match?: 'all' | 'any';
  conditions: Array<{
    field: string;
    op: 'eq' | 'neq' | 'in' | 'notIn' | 'exists' | 'gte' | 'lte';
    value?: string | number | Array<string | number>;
  }>;
}

export interface TemplateInput {
  name: string;
  purpose?: string;
  pageSize?: PageSize;
  orientation?: Orientation;
  widthMm?: number | null;
  heightMm?: number | null;
  /** Media library file id of the background image. */
  background?: number | string | null;
  mode?: TemplateMode;
  design?: DesignDocument | null;
  html?: string | null;
  css?: string | null;
  rules?: TemplateRules | null;
  priority?: number;
  isDefault?: boolean;
}

/** POST /certify/events/:eventId/templates/:id/preview (`:id` may be "draft" with `template`). */
export interface PreviewRequest {
  recordId?: string;
  format?: 'png' | 'pdf';
  template?: TemplateInput;
}

/** A template problem the admin can fix, located as precisely as possible. */
export interface TemplateProblem {
  /** Element id, or "html"/"css" in advanced mode. */
  elementId: string;
  message: string;
  line?: number;
  column?: number;
}

/** GET /certify/fonts */
export interface FontFamily {
  family: string;
  category: 'serif' | 'sans-serif' | 'display' | 'handwriting' | 'monospace';
  source: 'builtin' | 'custom';
  weights: number[];
  italic: boolean;
  /** Scripts the family covers, e.g. ["latin", "greek", "cyrillic"]. */
  scripts: string[];
}

/** Fields a template may use besides `extra.*`, `event.*` and `certificate.*`. */
export const TEMPLATE_FIELDS = [...RECORD_DATA_FIELDS, 'status', 'event', 'certificate'] as const;
