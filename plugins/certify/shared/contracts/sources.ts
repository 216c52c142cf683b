import { z } from 'zod';
import { documentId } from './common';
import { importCounts, importFormat, importMapping, invalidRow, mappingInput } from './import';

export const sourceKind = z.enum(['upload', 'proxy', 'feed']);
export type SourceKind = z.infer<typeof sourceKind>;

/** `settings` of a feed source. */
export const feedSettings = z.object({
  url: z
    .string()
    .trim()
    .url('settings.url must be a full URL, e.g. https://timing.example.com/results.csv')
    .refine((u) => /^https?:\/\//i.test(u), 'settings.url must start with http:// or https://'),
  /** csv, json, or auto (from Content-Type, then content). */
  format: importFormat.default('auto'),
  /** Minutes between pulls; 0 turns scheduled pulls off (pull on demand only). */
  intervalMinutes: z.coerce.number<number | string>().int().min(0).max(24 * 60).optional(),
});
export type FeedSettings = z.infer<typeof feedSettings>;

/** Kept open: a feed's settings are checked against `feedSettings` once the kind is known. */
const settingsInput = z.record(z.string(), z.unknown()).nullish();

/** POST /certify/events/:eventId/sources */
export const sourceInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  kind: sourceKind.default('upload'),
  mapping: mappingInput.optional(),
  settings: settingsInput,
});
export type SourceInput = z.input<typeof sourceInput>;

/** PUT /certify/events/:eventId/sources/:id (the kind of a source never changes). */
export const sourcePatch = z
  .object({
    name: z.string().trim().min(1, 'name cannot be empty').max(200),
    mapping: mappingInput,
    settings: settingsInput,
  })
  .partial()
  .strict();
export type SourcePatch = z.input<typeof sourcePatch>;

export const syncStatus = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** imported, not-modified (304), or failed. */
  outcome: z.enum(['imported', 'not-modified', 'failed']),
  counts: importCounts.optional(),
  message: z.string().optional(),
});
export type SyncStatus = z.infer<typeof syncStatus>;

/** A source as the admin API returns it (never the token or its hash). */
export const sourceView = z.object({
  id: z.number(),
  documentId: z.string(),
  event: z.string(),
  name: z.string(),
  kind: sourceKind,
  mapping: importMapping.nullable(),
  settings: z.record(z.string(), z.unknown()).nullable(),
  /** Last characters of the proxy token, to tell tokens apart. */
  tokenHint: z.string().nullable(),
  tokenRotatedAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  lastSyncStatus: syncStatus.nullable(),
  /** Where a timing partner pushes (proxy sources). */
  pushUrl: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SourceView = z.infer<typeof sourceView>;

/** POST /sources (proxy kind) and POST /sources/:id/token: the only time the token is shown. */
export const sourceWithToken = sourceView.extend({ token: z.string() });
export type SourceWithToken = z.infer<typeof sourceWithToken>;

/** POST /api/certify/sources/:sourceId/push (content API, the source's token as bearer). */
export const pushParams = z.object({ sourceId: documentId });
export const pushResponse = z.object({
  counts: importCounts,
  invalid: z.array(invalidRow),
  stale: z.number(),
});
export type PushResponse = z.infer<typeof pushResponse>;
