import type { Core } from '@strapi/strapi';
import type { PublishSummary } from '../../../../shared/contracts/publish';
import { UID } from '../../constants';
import { getService } from '../../utils';
import { classifier } from './classify';
import { photoLinks } from './photos';
import { runs, WEBHOOK_EVENTS, type StartOptions } from './run';
import { storer } from './store';
import { renderWorker, type WorkStats } from './work';

export { WEBHOOK_EVENTS };

/**
 * Publishing: which records need a (new) certificate (`classify.ts`), one run per event at a time
 * (`run.ts`), rendering the queue's `render` jobs in batches (`work.ts`) and storing the files in
 * the media library linked to the record (`store.ts`). Every write that completes a render is
 * conditional on the record's `renderedHash`, so a job worked twice (retry, take-over after a
 * crash) yields one certificate per record version.
 */
const publish = ({ strapi }: { strapi: Core.Strapi }) => {
  const classify = classifier(strapi);
  const run = runs(strapi, classify);
  const photos = photoLinks(strapi);
  const stats: WorkStats = { rendered: 0, renderMs: 0, storeMs: 0 };
  const worker = renderWorker(strapi, { classifier: classify, runs: run, store: storer(strapi, run), photos, stats });

  /** Re-renders these records (or all of the event's) if the event was published before. */
  const rerender = async (eventId: string, recordDocumentIds?: string[]) => {
    if ((recordDocumentIds && !recordDocumentIds.length) || !(await run.publishedOnce(eventId))) return null;
    const stale = await classify.stale(eventId, recordDocumentIds);
    if (!stale.length) return null;
    return run.start(eventId, { trigger: 'auto', recordIds: stale.map((r) => r.record.documentId) });
  };

  return {
    WEBHOOK_EVENTS,
    stats,

    /** `renderedHash` a record has once its certificate matches its data and template. */
    renderKey: classify.renderKey,
    publishedOnce: run.publishedOnce,
    current: run.current,
    start: (eventId: string, opts: StartOptions = {}) => run.start(eventId, opts),
    cancel: run.cancel,

    /** Publishes again the records whose last attempt failed (after an outage was fixed). */
    async retryFailed(eventId: string) {
      const rows = await strapi.db.query(UID.record).findMany({
        where: { event: eventId, $or: [{ status: 'failed' }, { status: 'stale', lastError: { $notNull: true } }] },
        select: ['documentId'],
      });
      return run.start(eventId, { trigger: 'retry', recordIds: rows.map((r: { documentId: string }) => r.documentId) });
    },

    async summary(eventId: string): Promise<PublishSummary> {
      const rows = await classify.classify(eventId);
      const counts = { new: 0, changed: 0, unchanged: 0, noTemplate: 0 };
      const byTemplate = new Map<string, { documentId: string; name: string; count: number }>();
      for (const row of rows) {
        counts[row.state] += 1;
        if (row.template) {
          const t = byTemplate.get(row.template.documentId) ?? { documentId: row.template.documentId, name: row.template.name, count: 0 };
          t.count += 1;
          byTemplate.set(t.documentId, t);
        }
      }
      return { eventId, total: rows.length, ...counts, templates: [...byTemplate.values()], publishedOnce: await run.publishedOnce(eventId) };
    },

    /**
     * What changed records and templates mean for certificates. Called by the Document Service
     * middlewares alone (middlewares/documents.ts), the one owner of "this changed".
     */
    onRecordsChanged: (eventId: string, recordDocumentIds: string[]) => rerender(eventId, recordDocumentIds),
    onTemplateChanged: (eventId: string) => rerender(eventId),
    refreshPhotoLinks: photos.refresh,

    bootstrap() {
      const queue = getService(strapi, 'queue');
      queue.handle('render', worker);
      queue.onSettled(async (runIds) => {
        if (runIds === 'idle') await run.finishIdle();
        else for (const id of runIds) await run.maybeFinish(id);
      });
    },
  };
};

export type PublishService = ReturnType<typeof publish>;
export default publish;
