import type { ImportMapping, ImportCounts } from './import';

export type SourceKind = 'upload' | 'proxy' | 'feed';

export interface FeedSettings {
  url: string;
  /** csv, json, or auto (from Content-Type, then content). */
  format?: 'auto' | 'csv' | 'json';
  /** Minutes between pulls; 0 turns scheduled pulls off (pull on demand only). */
  intervalMinutes?: number;
}

export interface SyncStatus {
  at: string;
  ok: boolean;
  /** imported, not-modified (304), or failed. */
  outcome: 'imported' | 'not-modified' | 'failed';
  counts?: ImportCounts;
  message?: string;
}

/** A source as the admin API returns it (never the token or its hash). */
export interface SourceView {
  id: number;
  documentId: string;
  event: string;
  name: string;
  kind: SourceKind;
  mapping: ImportMapping | null;
  settings: (FeedSettings & Record<string, unknown>) | Record<string, unknown> | null;
  /** Last characters of the proxy token, to tell tokens apart. */
  tokenHint: string | null;
  tokenRotatedAt: string | null;
  lastSyncAt: string | null;
  lastSyncStatus: SyncStatus | null;
  /** Where a timing partner pushes (proxy sources). */
  pushUrl?: string;
  createdAt: string;
  updatedAt: string;
}

/** POST /sources (proxy kind) and POST /sources/:id/token: the only time the token is shown. */
export interface SourceWithToken extends SourceView {
  token: string;
}
