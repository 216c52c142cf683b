import type { TextElement } from '../../../shared/contracts/templates';

/** Resolve `{{field}}`-style text against a sample record for the canvas (the server renders the truth). */
export const sampleText = (el: TextElement, sample: Record<string, unknown>): string => {
  const lookup = (path: string): string => {
    const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), sample);
    return v == null ? '' : String(v);
  };
  if (el.text) {
    // Blocks are shown as if their condition held; a helper shows the first field it is given.
    return el.text
      .replace(/\{\{[#^/][^}]*\}\}|\{\{else\}\}/g, '')
      .replace(/\{\{\{?([^}]+)\}?\}\}/g, (_m, expr: string) => {
        const tokens = expr.trim().match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
        if (tokens.length === 1) return lookup(tokens[0]) || `{${tokens[0]}}`;
        for (const tok of tokens.slice(1)) {
          if (/^["']/.test(tok)) continue;
          const v = lookup(tok);
          if (v) return v;
        }
        const literal = tokens.slice(1).find((tok) => /^["']/.test(tok));
        return literal ? literal.slice(1, -1) : '';
      });
  }
  if (el.field) return lookup(el.field) || `{${el.field}}`;
  return '';
};
