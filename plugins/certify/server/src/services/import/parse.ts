import Papa from 'papaparse';
import type { ImportEncoding } from '../../../../shared/contracts/import';
import { decodeBuffer } from './encoding';
import { detectDelimiter, type Delimiter } from './delimiter';

export interface TableInfo {
  encoding: ImportEncoding;
  delimiter: Delimiter | null;
  headers: string[];
  /** Data rows seen (blank lines excluded). */
  rows: number;
}

/** One data row: its cells in header order (CSV rows may be ragged), where it starts, and parse trouble. */
export type RowHandler = (values: string[], line: number, problem: string | null) => void | Promise<void>;

export class TableError extends Error {}

/** Caps on a payload's shape, all checked before any row is handed on (so before any write). */
export interface TableLimits {
  maxRows: number;
  maxColumns: number;
  /** Characters in one cell. */
  maxCellChars: number;
  /** Nesting of a JSON value inside one cell (an object holding an object is 2). */
  maxDepth: number;
}

const tooManyRows = (rows: number | null, max: number) =>
  new TableError(
    `The file has ${rows === null ? 'more than' : rows.toLocaleString('en')} ${rows === null ? `${max.toLocaleString('en')} ` : ''}rows, over the import limit of ${max.toLocaleString('en')}: split it into smaller files. Nothing was imported.`
  );
const tooManyColumns = (columns: number, max: number) =>
  new TableError(`The file has ${columns.toLocaleString('en')} columns, over the limit of ${max.toLocaleString('en')}: remove the columns certificates do not need. Nothing was imported.`);
const cellTooLong = (line: number, max: number) =>
  new TableError(`A value on line ${line} is longer than ${max.toLocaleString('en')} characters, the limit for one cell: check the file's quoting. Nothing was imported.`);

/**
 * Whether a CSV text could break a cap, from bounds read without parsing: no more data rows than
 * line breaks, no cell longer than the longest line. Only a text that fails these is parsed once
 * more up front to decide (a quoted cell may span lines).
 */
const csvMayExceed = (text: string, limits: TableLimits): boolean => {
  let lines = 0;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines++;
    if (i - start > longest) longest = i - start;
    start = i + 1;
  }
  if (text.length - start > longest) longest = text.length - start;
  if (text.length > start) lines++; // the last line, without a line break after it
  return lines - 1 > limits.maxRows || longest > limits.maxCellChars;
};

/** The first cap a CSV text breaks, read in one pass without keeping rows (see csvMayExceed). */
const checkCsv = (text: string, delimiter: Delimiter, limits: TableLimits): Promise<void> =>
  new Promise((resolve, reject) => {
    let rows = -1; // the header row is not a data row
    let line = 1;
    let failure: TableError | null = null;
    Papa.parse<string[]>(text, {
      delimiter,
      skipEmptyLines: false,
      step: (result, parser) => {
        const values = result.data;
        const at = line;
        for (const v of values) for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) line++;
        line++;
        if (isBlank(values)) return;
        rows++;
        for (const v of values) {
          if (v.length > limits.maxCellChars) {
            failure = cellTooLong(at, limits.maxCellChars);
            parser.abort();
            return;
          }
        }
      },
      complete: () => {
        if (failure) reject(failure);
        else if (rows > limits.maxRows) reject(tooManyRows(rows, limits.maxRows));
        else resolve();
      },
    });
  });

/** Depth of a JSON value, walked without recursion (a 5,000-deep value must not exhaust the stack). */
const depthOf = (value: unknown, max: number): number => {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > max) return deepest;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth]);
  }
  return deepest;
};

export type PayloadFormat = 'auto' | 'csv' | 'json';

/** The format of a pushed or fetched payload: a source's setting wins, then the Content-Type. */
export const formatOf = (contentType: string, setting?: unknown): PayloadFormat => {
  if (setting === 'csv' || setting === 'json') return setting;
  if (/json/i.test(contentType)) return 'json';
  if (/csv|text\/plain|tab-separated/i.test(contentType)) return 'csv';
  return 'auto';
};

/**
 * Header names as the admin sees them: trimmed, an empty header becomes "Column N" (1-based), and
 * a repeated one gets " (2)", " (3)", so every column can be mapped or kept in extra.
 */
export const normaliseHeaders = (raw: string[]): string[] => {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    const base = String(h ?? '').trim() || `Column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
};

const isBlank = (values: string[]) => values.every((v) => v.trim() === '');

const looksLikeJson = (buf: Buffer) => {
  for (const byte of buf.subarray(0, 64)) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
    return byte === 0x5b || byte === 0x7b; // [ or {
  }
  return false;
};

/**
 * Parses CSV text row by row (papaparse step mode: rows are handed over as they are read, never
 * collected into one array). When the row handler returns a promise (a batch being written), the
 * parser pauses until it settles, so memory stays bounded by one batch. Each row's starting line
 * counts the line breaks inside quoted fields, so "line 12" is where a text editor shows the row.
 */
const readCsv = (
  text: string,
  limits: TableLimits,
  onRow: RowHandler,
  delimiter: Delimiter,
  onHeaders?: (h: string[]) => void
): Promise<{ headers: string[]; rows: number }> =>
  new Promise((resolve, reject) => {
    let headers: string[] | null = null;
    let rows = 0;
    let nextLine = 1;
    let failure: unknown = null;
    Papa.parse<string[]>(text, {
      delimiter,
      skipEmptyLines: false,
      step: (result, parser) => {
        if (failure) return;
        const values = result.data;
        const line = nextLine;
        for (const v of values) for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) nextLine++;
        nextLine++;
        try {
          if (isBlank(values)) return;
          if (!headers) {
            if (values.length > limits.maxColumns) throw tooManyColumns(values.length, limits.maxColumns);
            headers = normaliseHeaders(values);
            onHeaders?.(headers);
            return;
          }
          rows++;
          if (rows > limits.maxRows) throw tooManyRows(null, limits.maxRows);
          for (const v of values) if (v.length > limits.maxCellChars) throw cellTooLong(line, limits.maxCellChars);
          const problem = result.errors.length
            ? result.errors.map((e) => (e.code === 'MissingQuotes' ? 'a quoted field is not closed (missing ")' : e.message)).join('; ')
            : null;
          const pending = onRow(values, line, problem);
          if (pending) {
            parser.pause();
            pending.then(
              () => parser.resume(),
              (err) => {
                failure = err;
                parser.resume();
              }
            );
          }
        } catch (err) {
          failure = err;
          parser.abort();
        }
      },
      complete: () => {
        if (failure) reject(failure);
        else if (!headers) reject(new TableError('The file is empty: it needs a header row and at least one row of data.'));
        else resolve({ headers, rows });
      },
    });
  });

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** JSON: an array of objects, or an object holding one (`records`, `results`, `data`, `items`, `rows` as Wiclax's exporter sends, or a page's `content`). */
const readJson = async (text: string, limits: TableLimits, onRow: RowHandler, onHeaders?: (h: string[]) => void) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TableError(`The body is not valid JSON (${(err as Error).message}): send an array of objects, one per record.`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : ['records', 'results', 'data', 'items', 'rows', 'content'].map((k) => (parsed as Record<string, unknown>)?.[k]).find(Array.isArray);
  if (!Array.isArray(list)) {
    throw new TableError('The JSON holds no list of records: send an array of objects, or { "records": [ ... ] }.');
  }
  if (list.length > limits.maxRows) throw tooManyRows(list.length, limits.maxRows);
  // Every cap is checked over the whole body before the first record is handed on.
  const headers: string[] = [];
  const known = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [key, value] of Object.entries(item)) {
      if (!known.has(key)) {
        known.add(key);
        headers.push(key);
        if (headers.length > limits.maxColumns) {
          throw new TableError(
            `The records have more than ${limits.maxColumns.toLocaleString('en')} different fields, the limit: send only the fields certificates need. Nothing was imported.`
          );
        }
      }
      if (value !== null && typeof value === 'object') {
        const depth = depthOf(value, limits.maxDepth);
        if (depth > limits.maxDepth) {
          throw new TableError(
            `Record ${i + 1}: "${key}" is nested more than ${limits.maxDepth} levels deep, the limit: send flat values. Nothing was imported.`
          );
        }
      }
      const length = typeof value === 'string' ? value.length : value !== null && typeof value === 'object' ? JSON.stringify(value).length : 0;
      if (length > limits.maxCellChars) {
        throw new TableError(`Record ${i + 1}: "${key}" is longer than ${limits.maxCellChars.toLocaleString('en')} characters, the limit for one value. Nothing was imported.`);
      }
    }
  }
  onHeaders?.(headers);
  let rows = 0;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    rows++;
    const pending =
      !item || typeof item !== 'object' || Array.isArray(item)
        ? onRow([], i + 1, 'this item is not an object')
        : onRow(headers.map((h) => cell((item as Record<string, unknown>)[h])), i + 1, null);
    if (pending) await pending;
  }
  return { headers, rows };
};

/** Decodes and walks a CSV or JSON payload, handing each data row to `onRow` once the payload is known to be within its caps. */
export const readTable = async (
  buf: Buffer,
  opts: {
    format?: PayloadFormat;
    limits: TableLimits;
    delimiter?: Delimiter | null;
    /** Called once with the header names, before the first row. */
    onHeaders?: (headers: string[]) => void;
  },
  onRow: RowHandler
): Promise<TableInfo> => {
  const format = opts.format && opts.format !== 'auto' ? opts.format : looksLikeJson(buf) ? 'json' : 'csv';
  const { text, encoding } = decodeBuffer(buf);
  if (format === 'json') {
    const { headers, rows } = await readJson(text, opts.limits, onRow, opts.onHeaders);
    return { encoding: 'json', delimiter: null, headers, rows };
  }
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  if (csvMayExceed(text, opts.limits)) await checkCsv(text, delimiter, opts.limits);
  const { headers, rows } = await readCsv(text, opts.limits, onRow, delimiter, opts.onHeaders);
  return { encoding, delimiter, headers, rows };
};
