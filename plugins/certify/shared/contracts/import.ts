import { z } from 'zod';
import { nameOrderSchema } from './mapping';
import { documentId, eventParams } from './common';

/** Record fields a file column can be mapped to. */
export const MAPPABLE_FIELDS = [
  'bib',
  'name',
  'firstName',
  'lastName',
  'email',
  'category',
  'gender',
  'finishTime',
  'rankOverall',
  'rankGender',
  'rankCategory',
] as const;
export const mappableField = z.enum(MAPPABLE_FIELDS);
export type MappableField = z.infer<typeof mappableField>;

/** Record field → column header. Columns not mapped are kept in the record's `extra`. */
export const importMapping = z.partialRecord(mappableField, z.string().nullable());
export type ImportMapping = z.infer<typeof importMapping>;

/**
 * A mapping as a client sends it: any keys, because the importer checks them against the file and
 * names both unknown fields and missing columns in one message. Multipart forms send it as JSON text.
 */
export const mappingInput = z.preprocess(
  (raw) => {
    if (raw === undefined || raw === null || raw === '') return null;
    if (typeof raw !== 'string') return raw;
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  },
  z
    .record(z.string(), z.string().nullable(), {
      error: 'mapping must be a JSON object of record field → column header, e.g. {"bib":"Bib"}',
    })
    .nullable()
);

export const importCounts = z.object({
  new: z.number(),
  changed: z.number(),
  unchanged: z.number(),
  invalid: z.number(),
});
export type ImportCounts = z.infer<typeof importCounts>;

export const invalidRow = z.object({
  /** Line in the file where the row starts (the header is line 1); for JSON, the item's position + 1. */
  line: z.number(),
  bib: z.string().nullable(),
  reason: z.string(),
});
export type InvalidRow = z.infer<typeof invalidRow>;

/** A row as it will be stored. */
export const importedRecord = z.object({
  bib: z.string(),
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  category: z.string().nullable(),
  gender: z.string().nullable(),
  finishTime: z.string().nullable(),
  finishSeconds: z.number().nullable(),
  rankOverall: z.number().nullable(),
  rankGender: z.number().nullable(),
  rankCategory: z.number().nullable(),
  extra: z.record(z.string(), z.string()).nullable(),
});
export type ImportedRecord = z.infer<typeof importedRecord>;

export const importEncoding = z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252', 'json']);
export type ImportEncoding = z.infer<typeof importEncoding>;

export const importFormat = z.enum(['auto', 'csv', 'json']);
export type ImportFormat = z.infer<typeof importFormat>;

/**
 * What an import does to values edited by hand that the file would change: `keep` leaves those
 * fields as edited (the file's other fields are still applied), `replace` writes the file's values
 * and clears the hand-edit mark.
 */
export const handEditedChoice = z.enum(['keep', 'replace'], { message: "handEdited must be 'keep' or 'replace'" });
export type HandEditedChoice = z.infer<typeof handEditedChoice>;

/**
 * POST /certify/events/:eventId/imports as JSON, or the text fields of the multipart form beside
 * its `file`. One of `file`, `csv` or `records` carries the data.
 */
export const importPreviewRequest = z.object({
  csv: z.string().optional(),
  records: z.array(z.unknown()).optional(),
  sourceId: documentId.nullish().or(z.literal('').transform(() => null)),
  mapping: mappingInput.optional(),
  /** The organiser's name order; forms send "" for "as the file has it". */
  nameOrder: z.preprocess((v) => (v === '' ? null : v), nameOrderSchema.nullish()),
  format: importFormat.catch('auto').default('auto'),
  /** What the dry run (and the commit, unless it says otherwise) does with values edited by hand; forms send "" for the default. */
  handEdited: z.preprocess((v) => (v === '' ? undefined : v), handEditedChoice.optional()),
});
export type ImportPreviewRequest = z.input<typeof importPreviewRequest>;

/** POST /certify/events/:eventId/imports/:importId/commit */
export const importCommitRequest = z.object({
  mapping: mappingInput.optional(),
  nameOrder: z.preprocess((v) => (v === '' ? null : v), nameOrderSchema.nullish()),
  /** Without it, the choice made on the dry run (itself 'keep' unless the organiser chose). */
  handEdited: handEditedChoice.optional(),
});
export type ImportCommitRequest = z.input<typeof importCommitRequest>;
export const importParams = eventParams.extend({ importId: documentId });

/** A record edited by hand that an import would change: which of its edited fields, and when it was edited. */
export const overwrite = z.object({
  bib: z.string(),
  fields: z.array(z.string()),
  editedAt: z.string().nullable(),
});
export type Overwrite = z.infer<typeof overwrite>;

/** POST /certify/events/:eventId/imports → the dry run. Nothing is written until commit. */
export const importPreview = z.object({
  /** The dry run held for commit; null when nothing can be committed yet (`needsBib`). */
  importId: z.string().nullable(),
  /** When the held preview is dropped (ISO); commit after that answers 404. Null with `importId`. */
  expiresAt: z.string().nullable(),
  /**
   * No column was recognised as the bib: the dry run shows the columns and first rows, nothing is
   * held for commit, and the organiser picks the bib column (mapping.bib) and runs it again.
   */
  needsBib: z.boolean(),
  encoding: importEncoding,
  delimiter: z.enum([',', ';', '\t', '|']).nullable(),
  headers: z.array(z.string()),
  mapping: importMapping,
  suggestedMapping: importMapping,
  counts: importCounts,
  totalRows: z.number(),
  sample: z.array(importedRecord.extend({ line: z.number(), action: z.enum(['new', 'changed', 'unchanged']) })),
  /** The file's first rows as written (up to 20), cells in header order: what the organiser maps from. */
  rows: z.array(z.array(z.string())),
  /** Every invalid row (capped at 1,000 entries; counts.invalid has the total). */
  invalid: z.array(invalidRow),
  /** Records edited by hand whose edited values the file would change (capped at 1,000; see overwriteCount). */
  overwrites: z.array(overwrite),
  overwriteCount: z.number(),
});
export type ImportPreview = z.infer<typeof importPreview>;

/** POST /certify/events/:eventId/imports/:importId/commit → what was written. */
export const importCommitResult = z.object({
  counts: importCounts,
  invalid: z.array(invalidRow),
  /** Records that became stale: they were published and their certificate data changed. */
  stale: z.number(),
  /** Records edited by hand whose edits were kept over the file's values (handEdited: 'keep'). */
  kept: z.number(),
  /** Records edited by hand whose edits the file's values replaced (handEdited: 'replace'). */
  replaced: z.number(),
  durationMs: z.number(),
});
export type ImportCommitResult = z.infer<typeof importCommitResult>;
