/**
 * CSV writing for record exports. Spreadsheet apps run a cell that starts with = + - @ (or a tab
 * or CR, and also after leading spaces) as a formula, so such cells get a leading single quote:
 * a participant named "=HYPERLINK(...)" must not become a live link in the organiser's Excel.
 */
const FORMULA_START = /^[ \t\r\n]*[=+\-@]|^[\t\r]/;

export const neutraliseFormula = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(typeof value === 'object' ? JSON.stringify(value) : String(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (values: unknown[]) => `${values.map(csvCell).join(',')}\r\n`;
