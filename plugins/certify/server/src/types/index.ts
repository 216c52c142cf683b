import type { Modules, UID } from '@strapi/strapi';
import type { ImportMapping } from '../../../shared/contracts/import';
import type { FeedSettings, SyncStatus } from '../../../shared/contracts/sources';

/**
 * A stored row of a content type as the typings Strapi generates (`npm run types:generate`,
 * types/generated) describe it: what `strapi.db.query(uid)` hands back, which Strapi leaves untyped.
 */
export type Row<T extends UID.ContentType> = Modules.Documents.Document<T> & { id: number };

/**
 * JSON columns are typed `JSONValue` by the generator; these say what Certify stores in them. The
 * ids are repeated because `Omit` drops them where the generated typings are not loaded (the
 * plugin's declaration build).
 */
export type SourceRow = Omit<Row<'plugin::certify.source'>, 'settings' | 'mapping' | 'lastSyncStatus'> & {
  id: number;
  documentId: string;
  settings: (Partial<FeedSettings> & Record<string, unknown>) | null;
  mapping: ImportMapping | null;
  lastSyncStatus: SyncStatus | null;
};
