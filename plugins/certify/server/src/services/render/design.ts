import { TEMPLATE_FIELDS, type DesignDocument, type TemplateProblem } from '../../../../shared/contracts/templates';
// Imported under another name: `hbs` is also the global namespace of Handlebars' AST typings.
import { hbs as handlebars, HELPER_NAMES } from './helpers';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
/** Handlebars sets `this` on `{{this.x}}` paths; its typings leave it out. */
type PathNode = hbs.AST.PathExpression & { this?: boolean };
/** The nodes that take arguments: helper calls, blocks and sub-expressions. */
type CallNode = Pick<hbs.AST.SubExpression, 'params' | 'hash'>;

const FIELDS = new Set<string>(TEMPLATE_FIELDS);
/** Names that may be used in advanced HTML on top of the record's fields. */
const HTML_ONLY = new Set(['qr', 'assets', 'photo', 'page']);

/** Where a Handlebars error happened, from its message ("Parse error on line 3: …"). */
const parseErrorLocation = (err: unknown): { line?: number; column?: number } => {
  const e = (err ?? {}) as { lineNumber?: unknown; column?: unknown; message?: unknown };
  if (typeof e.lineNumber === 'number') return { line: e.lineNumber, column: (typeof e.column === 'number' ? e.column : 0) + 1 };
  const m = /on line (\d+)/.exec(String(e.message ?? ''));
  return m ? { line: Number(m[1]) } : {};
};

/**
 * Checks a Handlebars source: syntax, fields that do not exist, and raw output (`{{{ }}}`) of
 * anything but the server-built values (qr, assets.*), which would let a record value inject HTML.
 */
export const checkHandlebars = (source: string, elementId: string, opts: { html?: boolean } = {}): TemplateProblem[] => {
  let ast: hbs.AST.Program;
  try {
    ast = handlebars.parse(source);
  } catch (err) {
    const loc = parseErrorLocation(err);
    const first = String((err as Error).message).split('\n')[0];
    return [{ elementId, message: `Handlebars syntax error: ${first}`, ...loc }];
  }
  const problems: TemplateProblem[] = [];
  const at = (node: Node) => ({ line: node.loc?.start?.line, column: (node.loc?.start?.column ?? 0) + 1 });
  const checkPath = (expr: Expression, depth: number) => {
    if (expr.type !== 'PathExpression') return;
    const node = expr as PathNode;
    if (node.data || node.this || depth > 0) return;
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
  const visitParams = (node: CallNode, depth: number) => {
    for (const p of node.params ?? []) visitExpr(p, depth);
    for (const pair of node.hash?.pairs ?? []) visitExpr(pair.value, depth);
  };
  const visitExpr = (node: Expression | undefined, depth: number) => {
    if (!node) return;
    if (node.type === 'SubExpression') {
      visitParams(node as hbs.AST.SubExpression, depth);
      return;
    }
    checkPath(node, depth);
  };
  const visit = (base: Node | undefined, depth: number) => {
    if (!base) return;
    switch (base.type) {
      case 'Program':
        for (const s of (base as hbs.AST.Program).body) visit(s, depth);
        break;
      case 'MustacheStatement': {
        const node = base as hbs.AST.MustacheStatement;
        const isHelperCall = node.params.length > 0 || (node.hash?.pairs?.length ?? 0) > 0;
        if (!node.escaped) {
          const name = (node.path as PathNode).original ?? '';
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
        const node = base as hbs.AST.BlockStatement;
        visitParams(node, depth);
        // Inside each/with the context changes: fields there are relative to another object.
        const scoped = ['each', 'with'].includes(node.path?.original);
        visit(node.program, scoped ? depth + 1 : depth);
        visit(node.inverse, depth);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        problems.push({ elementId, message: 'partials ({{> …}}) are not supported', ...at(base) });
        break;
      case 'DecoratorBlock':
      case 'Decorator':
        problems.push({ elementId, message: 'decorators are not supported', ...at(base) });
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
  design.elements.flatMap((el): TemplateProblem[] => {
    if (el.type === 'text') return checkHandlebars(textSource(el), el.id);
    if (el.type === 'photo' && el.fallback === 'placeholder' && el.placeholderFileId === undefined) {
      return [{ elementId: el.id, message: 'pick a placeholder image for records without a photo (placeholderFileId), or set fallback to "hide"' }];
    }
    return [];
  });

/** Every problem of an advanced (HTML) template. */
export const checkHtml = (html: string): TemplateProblem[] => checkHandlebars(html, 'html', { html: true });
