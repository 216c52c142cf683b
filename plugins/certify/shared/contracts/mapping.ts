import { z } from 'zod';

/**
 * How a file writes its names. Decided per file from its name column ("Last, First" only when most
 * names are written that way); the organiser can override it in the dry run and at commit.
 */
export const nameOrderSchema = z.enum(['first-last', 'last-first'], { message: 'nameOrder must be "first-last" or "last-first"' });
export type NameOrder = z.infer<typeof nameOrderSchema>;

/** What the importer made of one column, in one line the admin shows beside the mapping. */
export const columnExplanationSchema = z.object({
  column: z.string(),
  /** The record field the column fills; null when it is kept in extra data or ignored. */
  field: z.string().nullable(),
  /** `field`: mapped; `split`: a split time kept in extra; `extra`: kept as is; `ignored`: not stored. */
  kind: z.enum(['field', 'split', 'extra', 'ignored']),
  text: z.string(),
});
export type ColumnExplanation = z.infer<typeof columnExplanationSchema>;

/** A row that is imported, but not quite as written (e.g. a name whose order is unclear). */
export const rowWarningSchema = z.object({
  line: z.number().int(),
  bib: z.string().nullable(),
  message: z.string(),
});
export type RowWarning = z.infer<typeof rowWarningSchema>;

/** The fields the dry run adds to the import preview (and commit to its result) about mapping and names. */
export const mappingReportSchema = z.object({
  /** One entry per column, in file order. */
  explanations: z.array(columnExplanationSchema),
  nameOrder: nameOrderSchema,
  /** Whether the order was read from the file or set by the organiser. */
  nameOrderSource: z.enum(['file', 'organiser']),
  /**
   * Rows the order decides: names turned from "Last, First" (last-first), or names with a comma
   * kept as written (first-last).
   */
  nameOrderRows: z.number().int(),
  /** Rows imported with a warning (capped at 1,000 entries). */
  warnings: z.array(rowWarningSchema),
});
export type MappingReport = z.infer<typeof mappingReportSchema>;

/** Options of the dry run and the commit that steer the mapping. */
export const mappingOptionsSchema = z.object({
  nameOrder: nameOrderSchema.nullish(),
});
export type MappingOptions = z.infer<typeof mappingOptionsSchema>;
