import { z } from 'zod';
import type { DesignDocument, TemplateProblem } from '../../../../shared/contracts/templates';
import { TEMPLATE_FIELDS } from '../../../../shared/contracts/templates';
import { hbs, HELPER_NAMES } from './helpers';

/**
 * The design document schema. Every value that ends up inside generated CSS is constrained here
 * (numbers, enums, hex colours, plain family names), so the HTML builder can interpolate them
 * without a way for a design to break out of its style attribute.
 */
const mm = z.number().finite().min(-2000).max(2000);
const size = z.number().finite().min(0).max(2000);
export const colour = z
  .string()
  .regex(/^(#[0-9a-fA-F]{3,8}|transparent)$/, 'colour must be a hex colour like #1f3a5f, or "transparent"');
export const fontFamilyName = z
  .string()
  .regex(/^[\p{L}\p{N} _-]{1,64}$/u, 'font family must be a plain family name (letters, digits, spaces, - and _)');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'element id must be 1-64 letters, digits, - or _');

const base = {
  id,
  x: mm,
  y: mm,
  width: size,
  height: size,
  rotation: z.number().finite().min(-360).max(360).optional(),
  z: z.number().int().min(-1000).max(1000).optional(),
  opacity: z.number().min(0).max(1).optional(),
};

const textElement = z.object({
  ...base,
  type: z.literal('text'),
  field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/, 'field must be a field name like "name" or "extra.club"').optional(),
  text: z.string().max(5000).optional(),
  fontFamily: fontFamilyName.optional(),
  fontWeight: z.number().int().min(100).max(900).optional(),
  italic: z.boolean().optional(),
  fontSize: z.number().min(1).max(400).optional(),
  color: colour.optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
  verticalAlign: z.enum(['top', 'middle', 'bottom']).optional(),
  letterSpacing: z.number().min(-1).max(2).optional(),
  lineHeight: z.number().min(0.5).max(4).optional(),
  uppercase: z.boolean().optional(),
  shrinkToFit: z.boolean().optional(),
  minFontSize: z.number().min(1).max(400).optional(),
  wrap: z.boolean().optional(),
});

const imageElement = z.object({
  ...base,
  type: z.literal('image'),
  fileId: z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z0-9]{1,64}$/)]),
  fit: z.enum(['contain', 'cover']).optional(),
});

const qrElement = z.object({ ...base, type: z.literal('qr'), color: colour.optional(), background: colour.optional() });

const photoElement = z.object({
  ...base,
  type: z.literal('photo'),
  fit: z.enum(['cover', 'contain']).optional(),
  borderRadius: size.optional(),
  borderColor: colour.optional(),
  borderWidth: z.number().min(0).max(50).optional(),
});

const shapeElement = z.object({
  ...base,
  type: z.literal('shape'),
  shape: z.enum(['rect', 'ellipse', 'line']),
  fill: colour.optional(),
  stroke: colour.optional(),
  strokeWidth: z.number().min(0).max(50).optional(),
  borderRadius: size.optional(),
});

export const designSchema = z
  .object({
    version: z.literal(1).default(1),
    backgroundFit: z.enum(['cover', 'contain', 'stretch']).optional(),
    backgroundColor: colour.optional(),
    fontFamily: fontFamilyName.optional(),
    elements: z
      .array(z.discriminatedUnion('type', [textElement, imageElement, qrElement, photoElement, shapeElement]))
      .max(200, 'a design holds at most 200 elements'),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.elements.forEach((el, i) => {
      if (seen.has(el.id)) ctx.addIssue({ code: 'custom', path: ['elements', i, 'id'], message: `duplicate element id "${el.id}"` });
      seen.add(el.id);
    });
  });

const FIELDS = new Set<string>(TEMPLATE_FIELDS);
/** Names that may be used in advanced HTML on top of the record's fields. */
const HTML_ONLY = new Set(['qr', 'assets', 'photo', 'page']);

/** Where a Handlebars error happened, from its message ("Parse error on line 3: …"). */
const parseErrorLocation = (err: any): { line?: number; column?: number } => {
  if (typeof err?.lineNumber === 'number') return { line: err.lineNumber, column: (err.column ?? 0) + 1 };
  const m = /on line (\d+)/.exec(String(err?.message ?? ''));
  return m ? { line: Number(m[1]) } : {};
};

/**
 * Checks a Handlebars source: syntax, fields that do not exist, and raw output (`{{{ }}}`) of
 * anything but the server-built values (qr, assets.*), which would let a record value inject HTML.
 */
export const checkHandlebars = (source: string, elementId: string, opts: { html?: boolean } = {}): TemplateProblem[] => {
  let ast: any;
  try {
    ast = hbs.parse(source);
  } catch (err) {
    const loc = parseErrorLocation(err);
    const first = String((err as Error).message).split('\n')[0];
    return [{ elementId, message: `Handlebars syntax error: ${first}`, ...loc }];
  }
  const problems: TemplateProblem[] = [];
  const at = (node: any) => ({ line: node?.loc?.start?.line, column: (node?.loc?.start?.column ?? 0) + 1 });
  const checkPath = (node: any, depth: number) => {
    if (node?.type !== 'PathExpression' || node.data || node.this || depth > 0) return;
    const head = node.parts[0];
    if (head === undefined) return;
    if (FIELDS.has(head) || (opts.html && HTML_ONLY.has(head))) return;
    if (HELPER_NAMES.has(head) && node.parts.length === 1) return;
    problems.push({
      elementId,
      message: `unknown field "${node.original}": use one of ${[...FIELDS].join(', ')} (extra.<column> for imported extra columns)`,
      ...at(node),
    });
  };
  const visitParams = (node: any, depth: number) => {
    for (const p of node.params ?? []) visitExpr(p, depth);
    for (const pair of node.hash?.pairs ?? []) visitExpr(pair.value, depth);
  };
  const visitExpr = (node: any, depth: number) => {
    if (!node) return;
    if (node.type === 'SubExpression') {
      visitParams(node, depth);
      return;
    }
    checkPath(node, depth);
  };
  const visit = (node: any, depth: number) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of node.body) visit(s, depth);
        break;
      case 'MustacheStatement': {
        const isHelperCall = node.params.length > 0 || (node.hash?.pairs?.length ?? 0) > 0;
        if (!node.escaped) {
          const name = node.path?.original ?? '';
          if (!(opts.html && (name === 'qr' || name.startsWith('assets.')))) {
            problems.push({
              elementId,
              message: `raw output {{{${name}}}} is not allowed: only {{{qr}}} and {{{assets.…}}} may be unescaped; use {{${name}}}`,
              ...at(node),
            });
          }
        }
        if (isHelperCall) visitParams(node, depth);
        else checkPath(node.path, depth);
        break;
      }
      case 'BlockStatement': {
        visitParams(node, depth);
        // Inside each/with the context changes: fields there are relative to another object.
        const scoped = ['each', 'with'].includes(node.path?.original);
        visit(node.program, scoped ? depth + 1 : depth);
        visit(node.inverse, depth);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        problems.push({ elementId, message: 'partials ({{> …}}) are not supported', ...at(node) });
        break;
      case 'DecoratorBlock':
      case 'Decorator':
        problems.push({ elementId, message: 'decorators are not supported', ...at(node) });
        break;
      default:
        break;
    }
  };
  visit(ast, 0);
  return problems;
};

/** The Handlebars source a text element renders. */
export const textSource = (el: { field?: string; text?: string }) =>
  el.text && el.text.length > 0 ? el.text : el.field ? `{{${el.field}}}` : '';

/** Every problem of a design document's Handlebars content. */
export const checkDesign = (design: DesignDocument): TemplateProblem[] =>
  design.elements.flatMap((el) => (el.type === 'text' ? checkHandlebars(textSource(el), el.id) : []));

/** Every problem of an advanced (HTML) template. */
export const checkHtml = (html: string): TemplateProblem[] => checkHandlebars(html, 'html', { html: true });

export type ParsedDesign = z.infer<typeof designSchema>;
