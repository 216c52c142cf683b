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

import type { ImportedRecord } from './import';

export type RecordStatus = 'pending' | 'queued' | 'published' | 'stale' | 'failed';

/** A record as the admin API returns it. */
export interface RecordView extends ImportedRecord {
  id: number;
  documentId: string;
  event: string;
  status: RecordStatus;
  verificationCode: string;
  dataHash: string;
  emailStatus: string | null;
  /** Why the last render, storage or email of this record failed (cleared by the next success). */
  lastError: string | null;
  certifiedAt: string | null;
  correctedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /certify/events/:eventId/records */
export interface RecordListQuery {
  search?: string;
  category?: string;
  status?: RecordStatus;
  /** e.g. "bib:asc", "rankOverall:desc", "name", "updatedAt:desc". */
  sort?: string;
  page?: number;
  pageSize?: number;
}

export interface RecordListResponse {
  data: RecordView[];
  meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number }; categories: string[] };
}

/** POST /certify/events/:eventId/records/bulk-delete */
export interface BulkDeleteRequest {
  ids: string[];
}
