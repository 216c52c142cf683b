import { z } from 'zod';
import { documentId, eventParams, mediaFile } from './common';
import { RECORD_DATA_FIELDS } from './records';

/**
 * Certificate templates: the design document the admin designer edits and the server renders.
 * Positions and sizes are in millimetres from the top-left corner of the page, font sizes in
 * points, rotation in degrees clockwise around the element's centre.
 *
 * Every value that ends up inside generated CSS is constrained here (numbers, enums, hex colours,
 * plain family names), so the HTML builder can interpolate them without a way for a design to
 * break out of its style attribute.
 */

export const pageSize = z.enum(['A4', 'Letter', 'A5', 'custom']);
export type PageSize = z.infer<typeof pageSize>;
export const orientation = z.enum(['landscape', 'portrait']);
export type Orientation = z.infer<typeof orientation>;
export const templateMode = z.enum(['designer', 'html']);
export type TemplateMode = z.infer<typeof templateMode>;

/** Page sizes in millimetres, portrait (width, height). */
export const PAGE_SIZES_MM: Record<Exclude<PageSize, 'custom'>, [number, number]> = {
  A4: [210, 297],
  Letter: [215.9, 279.4],
  A5: [148, 210],
};

const mm = z.number().finite().min(-2000).max(2000);
const size = z.number().finite().min(0).max(2000);
export const colour = z
  .string()
  .regex(/^(#[0-9a-fA-F]{3,8}|transparent)$/, 'colour must be a hex colour like #1f3a5f, or "transparent"');
export const fontFamilyName = z
  .string()
  .regex(/^[\p{L}\p{N} _-]{1,64}$/u, 'font family must be a plain family name (letters, digits, spaces, - and _)');
/** A media library file: numeric id or documentId. */
const mediaId = z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z0-9]{1,64}$/)]);

const elementBase = {
  /** Unique within the design; errors name it. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'element id must be 1-64 letters, digits, - or _'),
  x: mm,
  y: mm,
  width: size,
  height: size,
  rotation: z.number().finite().min(-360).max(360).optional(),
  /** Stacking order: higher is on top. */
  z: z.number().int().min(-1000).max(1000).optional(),
  opacity: z.number().min(0).max(1).optional(),
};

export const textElement = z.object({
  ...elementBase,
  type: z.literal('text'),
  /** A record field (e.g. "name", "extra.club"); used when `text` is empty. */
  field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/, 'field must be a field name like "name" or "extra.club"').optional(),
  /** Handlebars expression mixing fields and literals, e.g. "{{ordinal rankOverall}} of {{event.name}}". */
  text: z.string().max(5000).optional(),
  fontFamily: fontFamilyName.optional(),
  fontWeight: z.number().int().min(100).max(900).optional(),
  italic: z.boolean().optional(),
  /** Points. */
  fontSize: z.number().min(1).max(400).optional(),
  color: colour.optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
  /**
   * Writing direction: "auto" (default) follows the first strong letter of the rendered text
   * (Arabic or Hebrew names read right to left), "ltr"/"rtl" force it, e.g. for a line that mixes
   * an RTL name with LTR words. Alignment stays as set.
   */
  direction: z.enum(['auto', 'ltr', 'rtl']).optional(),
  verticalAlign: z.enum(['top', 'middle', 'bottom']).optional(),
  /** Em. */
  letterSpacing: z.number().min(-1).max(2).optional(),
  lineHeight: z.number().min(0.5).max(4).optional(),
  uppercase: z.boolean().optional(),
  /** Single line, shrunk down to `minFontSize` until it fits the box (long names). */
  shrinkToFit: z.boolean().optional(),
  minFontSize: z.number().min(1).max(400).optional(),
  /** Wrap onto several lines instead of one (ignored with shrinkToFit). */
  wrap: z.boolean().optional(),
});
export type TextElement = z.infer<typeof textElement>;

export const imageElement = z.object({
  ...elementBase,
  type: z.literal('image'),
  fileId: mediaId,
  fit: z.enum(['contain', 'cover']).optional(),
});
export type ImageElement = z.infer<typeof imageElement>;

/** Encodes the certificate's verify URL. */
export const qrElement = z.object({ ...elementBase, type: z.literal('qr'), color: colour.optional(), background: colour.optional() });
export type QrElement = z.infer<typeof qrElement>;

/** The participant's best photo, cropped to the frame. */
export const photoElement = z.object({
  ...elementBase,
  type: z.literal('photo'),
  fit: z.enum(['cover', 'contain']).optional(),
  /** Millimetres; a large value makes a circle. */
  borderRadius: size.optional(),
  borderColor: colour.optional(),
  borderWidth: z.number().min(0).max(50).optional(),
  /**
   * What a record without a photo gets: no element at all ("hide", the default) or, in the same
   * frame, a placeholder image the organiser picked (`placeholderFileId`). Never an empty frame.
   */
  fallback: z.enum(['hide', 'placeholder']).optional(),
  /** Media library image shown by the "placeholder" fallback. */
  placeholderFileId: mediaId.optional(),
});
export type PhotoElement = z.infer<typeof photoElement>;

export const shapeElement = z.object({
  ...elementBase,
  type: z.literal('shape'),
  shape: z.enum(['rect', 'ellipse', 'line']),
  fill: colour.optional(),
  stroke: colour.optional(),
  /** Millimetres. */
  strokeWidth: z.number().min(0).max(50).optional(),
  borderRadius: size.optional(),
});
export type ShapeElement = z.infer<typeof shapeElement>;

export const designElement = z.discriminatedUnion('type', [textElement, imageElement, qrElement, photoElement, shapeElement]);
export type DesignElement = z.infer<typeof designElement>;

export const designSchema = z
  .object({
    version: z.literal(1).default(1),
    /** How the background image covers the page. */
    backgroundFit: z.enum(['cover', 'contain', 'stretch']).optional(),
    backgroundColor: colour.optional(),
    /** Default font of text elements without their own. */
    fontFamily: fontFamilyName.optional(),
    elements: z.array(designElement).max(200, 'a design holds at most 200 elements'),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.elements.forEach((el, i) => {
      if (seen.has(el.id)) ctx.addIssue({ code: 'custom', path: ['elements', i, 'id'], message: `duplicate element id "${el.id}"` });
      seen.add(el.id);
    });
  });
export type DesignDocument = z.infer<typeof designSchema>;

/** Rule conditions that route a record to a template (any template without rules is a fallback). */
export const templateRules = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z
    .array(
      z.object({
        field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?$/, 'rule field must be a field name like "category" or "extra.distance"'),
        op: z.enum(['eq', 'neq', 'in', 'notIn', 'exists', 'gte', 'lte']),
        value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional(),
      })
    )
    .max(50),
});
export type TemplateRules = z.input<typeof templateRules>;

/**
 * The fields of a template as a client sends them, without defaults: an update changes only the
 * fields it names. The design is checked element by element when the template is compiled, so its
 * problems come back located (element id, line, column) rather than as schema paths.
 */
const templateFields = {
  name: z.string().trim().min(1, 'name is required').max(200),
  purpose: z.string().trim().max(64),
  pageSize,
  orientation,
  widthMm: z.coerce.number<number>().positive().max(2000).nullish(),
  heightMm: z.coerce.number<number>().positive().max(2000).nullish(),
  /** Media library file of the background image: numeric id or documentId. */
  background: mediaId.nullish(),
  mode: templateMode,
  design: z.custom<DesignDocument>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'design must be an object { version, elements }').nullish(),
  html: z.string().max(500_000).nullish(),
  css: z.string().max(500_000).nullish(),
  rules: templateRules.nullish(),
  priority: z.coerce.number<number>().int(),
  isDefault: z.boolean(),
};

/** POST /certify/events/:eventId/templates */
export const templateInput = z.object({
  ...templateFields,
  purpose: templateFields.purpose.default('finisher'),
  pageSize: pageSize.default('A4'),
  orientation: orientation.default('landscape'),
  mode: templateMode.default('designer'),
  priority: templateFields.priority.default(0),
  isDefault: templateFields.isDefault.default(false),
});
export type TemplateInput = z.input<typeof templateInput>;

/** PUT /certify/events/:eventId/templates/:id: only the fields that change. */
export const templateUpdate = z.object(templateFields).partial();
export type TemplateUpdate = z.input<typeof templateUpdate>;

/** POST /certify/events/:eventId/templates/:id/preview (`:id` may be "draft" with `template`). */
export const previewRequest = z.object({
  recordId: documentId.nullish(),
  /**
   * `text`: JSON `{ data: { elements: { <text element id>: { html } | { error } }, fontCss } }`,
   * what each text element prints for the record and the renderer's @font-face rules: the
   * designer's canvas shows that instead of guessing.
   */
  format: z.enum(['png', 'pdf', 'text']).default('png'),
  /** Unsaved changes, laid over the saved template (or alone for a draft). */
  template: templateUpdate.nullish(),
});
export type PreviewRequest = z.input<typeof previewRequest>;
/** A text element's output for a record (HTML, record values escaped), or why it cannot render. */
export const elementText = z.union([z.object({ html: z.string() }), z.object({ error: z.string() })]);
export type ElementText = z.infer<typeof elementText>;
/** The `format: 'text'` answer of a preview. */
export const previewTexts = z.object({ elements: z.record(z.string(), elementText), fontCss: z.string() });
export type PreviewTexts = z.infer<typeof previewTexts>;
/** GET /api/certify/fonts/:pkg/:file: a built-in font file (public, like the fonts themselves). */
export const fontFileParams = z.object({
  pkg: z.string().regex(/^[a-z0-9-]{1,64}$/, 'pkg must be a font package name like "eb-garamond"'),
  file: z.string().regex(/^[a-z0-9-]{1,128}\.woff2$/, 'file must be a .woff2 file name of that package'),
});
/** GET /templates/:id/preview: a saved template as it is (reading; rendering a draft is designing). */
export const savedPreviewQuery = previewRequest.omit({ template: true });
export const templateParams = eventParams.extend({ id: documentId });

/** A template as the admin API returns it. */
export const templateView = z.looseObject({
  ...templateFields,
  background: mediaFile.nullable(),
  design: designSchema.nullable(),
  rules: templateRules.nullable(),
  id: z.number(),
  documentId: z.string(),
  event: z.string(),
  version: z.number().optional(),
  hash: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TemplateView = z.infer<typeof templateView>;

/** A template problem the admin can fix, located as precisely as possible. */
export const templateProblem = z.object({
  /** Element id, or "html"/"css" in advanced mode. */
  elementId: z.string(),
  message: z.string(),
  line: z.number().optional(),
  column: z.number().optional(),
});
export type TemplateProblem = z.infer<typeof templateProblem>;

/** GET /certify/fonts */
export const fontFamily = z.object({
  family: z.string(),
  category: z.enum(['serif', 'sans-serif', 'display', 'handwriting', 'monospace']),
  source: z.enum(['builtin', 'custom']),
  weights: z.array(z.number()),
  italic: z.boolean(),
  /** Scripts the family covers, e.g. ["latin", "greek", "cyrillic"]. */
  scripts: z.array(z.string()),
});
export type FontFamily = z.infer<typeof fontFamily>;

/**
 * Fields computed for the certificate (shared/derived.ts): pace per km and per mile, time behind
 * the winner, percentile among finishers, age group (from age and sex when the file has no
 * category) and `splits.<column>` formatted as times.
 */
export const DERIVED_FIELDS = ['pacePerKm', 'pacePerMile', 'behindWinner', 'percentile', 'ageGroup', 'splits'] as const;

/** Fields a template may use besides `extra.*`, `event.*`, `certificate.*` and `splits.*`. */
export const TEMPLATE_FIELDS = [...RECORD_DATA_FIELDS, ...DERIVED_FIELDS, 'status', 'event', 'certificate'] as const;
