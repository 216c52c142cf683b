import { z } from 'zod';
import { EMAIL_ADDRESS } from '../email';
import { importedRecord } from './import';
import { renderWarning } from './publish';

/**
 * The record fields that can appear on a certificate (a change to any of them makes it stale).
 * The one list the importer, the data hash and the template checker derive theirs from.
 */
export const RECORD_DATA_FIELDS = [
  'bib',
  'name',
  'firstName',
  'lastName',
  'category',
  'gender',
  'finishTime',
  'finishSeconds',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'extra',
] as const;

export const RECORD_STATUSES = ['pending', 'queued', 'published', 'stale', 'failed'] as const;
export const recordStatus = z.enum(RECORD_STATUSES, { message: `status must be one of ${RECORD_STATUSES.join(', ')}` });
export type RecordStatus = z.infer<typeof recordStatus>;

/** A record as the admin API returns it. */
export const recordView = importedRecord.extend({
  id: z.number(),
  documentId: z.string(),
  event: z.string(),
  status: recordStatus,
  verificationCode: z.string(),
  dataHash: z.string(),
  emailStatus: z.string().nullable(),
  /** Why the last render, storage or email of this record failed (cleared by the next success). */
  lastError: z.string().nullable(),
  /** What the last rendered certificate shows wrong (text cut off); null when nothing. */
  renderWarnings: z.array(renderWarning).nullable().optional(),
  certifiedAt: z.string().nullable(),
  correctedAt: z.string().nullable(),
  /** When the record was last edited by hand in the admin; null once an import replaced those edits. */
  editedAt: z.string().nullable().optional(),
  /** The fields edited by hand (an import keeps or replaces them as the organiser chooses). */
  editedFields: z.array(z.string()).nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RecordView = z.infer<typeof recordView>;

const nullableString = z.string().trim().max(255).nullish();
const nullableInt = z.coerce.number<number | string | null | undefined>().int().nonnegative().nullish();

/** POST /certify/events/:eventId/records (a bib given as a number is taken as its digits). */
export const recordInput = z.object({
  bib: z.coerce.string<string | number>().trim().min(1, 'bib is required').max(64),
  name: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  email: z.string().trim().regex(EMAIL_ADDRESS, 'email is not a valid address').nullish().or(z.literal('')),
  category: nullableString,
  gender: nullableString,
  finishTime: nullableString,
  finishSeconds: z.coerce.number<number | string | null | undefined>().nonnegative().nullish(),
  rankOverall: nullableInt,
  rankGender: nullableInt,
  rankCategory: nullableInt,
  extra: z.record(z.string(), z.unknown()).nullish(),
  source: z.string().nullish(),
  template: z.string().nullish(),
});
export type RecordInput = z.input<typeof recordInput>;

/** PUT /certify/events/:eventId/records/:id: only the fields that change. */
export const recordPatch = recordInput.partial().strict();
export type RecordPatch = z.input<typeof recordPatch>;

export const RECORD_SORTABLE = [
  'bib',
  'name',
  'lastName',
  'category',
  'gender',
  'finishSeconds',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'status',
  'createdAt',
  'updatedAt',
] as const;

/** GET /certify/events/:eventId/records */
export const recordListQuery = z.object({
  search: z.string().trim().max(200).optional(),
  category: z.string().trim().max(255).optional(),
  status: recordStatus.optional(),
  /** e.g. "bib:asc", "rankOverall:desc", "name", "updatedAt:desc". */
  sort: z
    .string()
    .regex(
      new RegExp(`^(${RECORD_SORTABLE.join('|')})(:(asc|desc))?$`),
      `sort must be one of ${RECORD_SORTABLE.join(', ')}, optionally followed by :asc or :desc`
    )
    .optional(),
  page: z.coerce.number<number | string>().int().min(1).default(1),
  pageSize: z.coerce.number<number | string>().int().min(1).max(500).default(25),
});
export type RecordListQuery = z.input<typeof recordListQuery>;

export const recordListResponse = z.object({
  data: z.array(recordView),
  meta: z.object({
    pagination: z.object({ page: z.number(), pageSize: z.number(), pageCount: z.number(), total: z.number() }),
    categories: z.array(z.string()),
  }),
});
export type RecordListResponse = z.infer<typeof recordListResponse>;

/** POST /certify/events/:eventId/records/bulk-delete */
export const bulkDeleteRequest = z.object({
  ids: z
    .array(z.string().min(1))
    .min(1, 'ids must list at least one record id')
    .max(1000, 'delete at most 1,000 records at a time'),
});
export type BulkDeleteRequest = z.infer<typeof bulkDeleteRequest>;

export const bulkDeleteResponse = z.object({ deleted: z.number(), notFound: z.array(z.string()) });
export type BulkDeleteResponse = z.infer<typeof bulkDeleteResponse>;
