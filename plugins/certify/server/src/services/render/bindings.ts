import { hbs, HELPER_NAMES } from './helpers';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type PathNode = hbs.AST.PathExpression & { this?: boolean };

/**
 * Names a certificate shows that are never empty on a record's account: the server builds them
 * (QR code, assets, the certificate's code and dates).
 */
const SERVER_BUILT = new Set(['certificate', 'qr', 'assets', 'photo', 'page']);

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v));
/** Handlebars' own truthiness for `{{#if}}`: empty arrays are false, 0 only with includeZero. */
const truthy = (v: unknown, includeZero: boolean) => (Array.isArray(v) ? v.length > 0 : Boolean(v) || (includeZero && v === 0));

const lookup = (ctx: Record<string, unknown>, parts: string[]): unknown => {
  let value: unknown = ctx;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
};

/**
 * The fields a piece of template text would print empty for a record: each `{{field}}` (or
 * helper argument, `{{formatTime finishTime}}`) on the path the record takes through its
 * `{{#if}}`/`{{#unless}}` blocks. A line wrapped in `{{#if finishTime}}…{{/if}}` is hidden by the
 * template when the time is missing, which is the organiser's intent, not a problem. Blocks that
 * change the context (`each`, `with`) or test something other than a field are left alone.
 * Parsed once per template; applied to every record (no rendering).
 */
export const emptyFieldProbe = (source: string): ((ctx: Record<string, unknown>) => string[]) => {
  let ast: hbs.AST.Program;
  try {
    ast = hbs.parse(source);
  } catch {
    // A template that does not parse is refused when it is saved; nothing to report here.
    return () => [];
  }
  return (ctx) => {
    const empty: string[] = [];
    const check = (expr: Expression) => {
      if (expr.type === 'SubExpression') {
        const sub = expr as hbs.AST.SubExpression;
        sub.params.forEach(check);
        sub.hash?.pairs.forEach((p) => check(p.value));
        return;
      }
      if (expr.type !== 'PathExpression') return;
      const node = expr as PathNode;
      if (node.data || node.this || !node.parts.length || SERVER_BUILT.has(node.parts[0])) return;
      if (node.parts.length === 1 && HELPER_NAMES.has(node.parts[0])) return;
      const field = node.parts.join('.');
      if (!empty.includes(field) && isEmpty(lookup(ctx, node.parts))) empty.push(field);
    };
    const visit = (node: Node | undefined) => {
      if (!node) return;
      if (node.type === 'Program') {
        for (const s of (node as hbs.AST.Program).body) visit(s);
      } else if (node.type === 'MustacheStatement') {
        const m = node as hbs.AST.MustacheStatement;
        const isCall = m.params.length > 0 || (m.hash?.pairs?.length ?? 0) > 0;
        if (!isCall) check(m.path);
        else {
          m.params.forEach(check);
          m.hash?.pairs.forEach((p) => check(p.value));
        }
      } else if (node.type === 'BlockStatement') {
        const b = node as hbs.AST.BlockStatement;
        const name = (b.path as PathNode).original;
        const test = b.params[0] as PathNode | undefined;
        if ((name !== 'if' && name !== 'unless') || b.params.length !== 1 || test?.type !== 'PathExpression' || test.data || test.this) return;
        const includeZero = b.hash?.pairs.some((p) => p.key === 'includeZero' && (p.value as hbs.AST.BooleanLiteral).value === true) ?? false;
        const taken = truthy(lookup(ctx, test.parts), includeZero) === (name === 'if') ? b.program : b.inverse;
        visit(taken);
      }
    };
    visit(ast);
    return empty;
  };
};

/**
 * Whether a piece of template text can differ between records: it names a field other than
 * `event.*`, or uses a block that changes the context. Text that cannot (a title, the event's
 * name and date) is checked once per template rather than once per record.
 */
export const usesRecord = (source: string): boolean => {
  let ast: hbs.AST.Program;
  try {
    ast = hbs.parse(source);
  } catch {
    return true;
  }
  let uses = false;
  const path = (expr: Expression | undefined, call: boolean) => {
    if (!expr) return;
    if (expr.type === 'SubExpression') {
      const sub = expr as hbs.AST.SubExpression;
      sub.params.forEach((p) => path(p, false));
      sub.hash?.pairs.forEach((p) => path(p.value, false));
      return;
    }
    if (expr.type !== 'PathExpression') return;
    const node = expr as PathNode;
    if (call || node.data) return;
    if (node.parts[0] === 'event' || (node.parts.length === 1 && HELPER_NAMES.has(node.parts[0]))) return;
    uses = true;
  };
  const visit = (node: Node | undefined) => {
    if (!node || uses) return;
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(visit);
    else if (node.type === 'MustacheStatement' || node.type === 'BlockStatement') {
      const m = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      const isCall = m.params.length > 0 || (m.hash?.pairs?.length ?? 0) > 0 || node.type === 'BlockStatement';
      if (node.type === 'BlockStatement' && ['each', 'with'].includes((m.path as PathNode).original)) uses = true;
      path(m.path, isCall);
      m.params.forEach((p) => path(p, false));
      m.hash?.pairs.forEach((p) => path(p.value, false));
      if (node.type === 'BlockStatement') {
        visit((node as hbs.AST.BlockStatement).program);
        visit((node as hbs.AST.BlockStatement).inverse);
      }
    }
  };
  visit(ast);
  return uses;
};
