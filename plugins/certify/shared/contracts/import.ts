/** Record fields a file column can be mapped to. */
export type MappableField =
  | 'bib'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'category'
  | 'gender'
  | 'finishTime'
  | 'rankOverall'
  | 'rankGender'
  | 'rankCategory';

/** Record field → column header. Columns not mapped are kept in the record's `extra`. */
export type ImportMapping = Partial<Record<MappableField, string | null>>;

export interface ImportCounts {
  new: number;
  changed: number;
  unchanged: number;
  invalid: number;
}

export interface InvalidRow {
  /** Line in the file where the row starts (the header is line 1); for JSON, the item's position + 1. */
  line: number;
  bib: string | null;
  reason: string;
}

/** A row as it will be stored. */
export interface ImportedRecord {
  bib: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  category: string | null;
  gender: string | null;
  finishTime: string | null;
  finishSeconds: number | null;
  rankOverall: number | null;
  rankGender: number | null;
  rankCategory: number | null;
  extra: Record<string, string> | null;
}

export type ImportEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'json';

/** POST /certify/events/:eventId/imports → the dry run. Nothing is written until commit. */
export interface ImportPreview {
  importId: string;
  /** When the held preview is dropped (ISO); commit after that answers 404. */
  expiresAt: string;
  encoding: ImportEncoding;
  delimiter: ',' | ';' | '\t' | '|' | null;
  headers: string[];
  mapping: ImportMapping;
  suggestedMapping: ImportMapping;
  counts: ImportCounts;
  totalRows: number;
  sample: Array<ImportedRecord & { line: number; action: 'new' | 'changed' | 'unchanged' }>;
  /** Every invalid row (capped at 1,000 entries; counts.invalid has the total). */
  invalid: InvalidRow[];
}

/** POST /certify/events/:eventId/imports/:importId/commit → what was written. */
export interface ImportCommitResult {
  counts: ImportCounts;
  invalid: InvalidRow[];
  /** Records that became stale: they were published and their certificate data changed. */
  stale: number;
  durationMs: number;
}

/** Codes in `error.details.code` of import, record and source errors (alongside shared/errors.ts). */
export const DATA_ERROR_CODES = {
  importNotFound: 'CERTIFY_IMPORT_NOT_FOUND',
  recordNotFound: 'CERTIFY_RECORD_NOT_FOUND',
  sourceNotFound: 'CERTIFY_SOURCE_NOT_FOUND',
} as const;
