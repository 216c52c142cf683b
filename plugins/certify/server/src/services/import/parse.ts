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
  maxRows: number,
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
            headers = normaliseHeaders(values);
            onHeaders?.(headers);
            return;
          }
          rows++;
          if (rows > maxRows) {
            throw new TableError(`The file has more than ${maxRows.toLocaleString('en')} rows, the import limit: split it into smaller files.`);
          }
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

/** JSON: an array of objects, or an object holding one (`records`, `results`, `data`, `items`, or a page's `content`). */
const readJson = async (text: string, maxRows: number, onRow: RowHandler, onHeaders?: (h: string[]) => void) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TableError(`The body is not valid JSON (${(err as Error).message}): send an array of objects, one per record.`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : ['records', 'results', 'data', 'items', 'content'].map((k) => (parsed as Record<string, unknown>)?.[k]).find(Array.isArray);
  if (!Array.isArray(list)) {
    throw new TableError('The JSON holds no list of records: send an array of objects, or { "records": [ ... ] }.');
  }
  if (list.length > maxRows) {
    throw new TableError(`The body has ${list.length.toLocaleString('en')} records, over the import limit of ${maxRows.toLocaleString('en')}: split it.`);
  }
  const headers: string[] = [];
  const known = new Set<string>();
  for (const item of list) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const key of Object.keys(item)) if (!known.has(key)) known.add(key), headers.push(key);
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

/** Decodes and walks a CSV or JSON payload, handing each data row to `onRow`. */
export const readTable = async (
  buf: Buffer,
  opts: {
    format?: PayloadFormat;
    maxRows: number;
    delimiter?: Delimiter | null;
    /** Called once with the header names, before the first row. */
    onHeaders?: (headers: string[]) => void;
  },
  onRow: RowHandler
): Promise<TableInfo> => {
  const format = opts.format && opts.format !== 'auto' ? opts.format : looksLikeJson(buf) ? 'json' : 'csv';
  const { text, encoding } = decodeBuffer(buf);
  if (format === 'json') {
    const { headers, rows } = await readJson(text, opts.maxRows, onRow, opts.onHeaders);
    return { encoding: 'json', delimiter: null, headers, rows };
  }
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const { headers, rows } = await readCsv(text, opts.maxRows, onRow, delimiter, opts.onHeaders);
  return { encoding, delimiter, headers, rows };
};
