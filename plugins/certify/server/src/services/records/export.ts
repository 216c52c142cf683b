import Papa from 'papaparse';

/**
 * CSV writing for record exports. Spreadsheet apps run a cell that starts with = + - @ (or a tab
 * or CR, and also after leading spaces) as a formula, so such cells get a leading single quote:
 * a participant named "=HYPERLINK(...)" must not become a live link in the organiser's Excel.
 */
const FORMULA_START = /^[ \t\r\n]*[=+\-@]|^[\t\r]/;

const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
};

/**
 * One CSV line (CRLF-terminated). The quote is added here rather than with Papa's `escapeFormulae`:
 * that option also wraps every escaped cell in double quotes, which would change the bytes of
 * exports organisers already diff against (`'+Runners` would become `"'+Runners"`), and its
 * default pattern misses formulas after leading spaces.
 */
export const csvLine = (values: unknown[]) => `${Papa.unparse([values.map(cellText)], { newline: '\r\n' })}\r\n`;
