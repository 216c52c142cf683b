import type { Core } from '@strapi/strapi';
import type { PreflightReport, PublishSelection, PublishSummary, RunProgress } from '../../../../shared/contracts/publish';
import { UID } from '../../constants';
import { certifyError, getConfig, getService } from '../../utils';
import { classifier, showsEventStats } from './classify';
import { photoLinks } from './photos';
import { preflight } from './preflight';
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
  const check = preflight(strapi, classify);
  const worker = renderWorker(strapi, { classifier: classify, runs: run, store: storer(strapi, run), photos, stats });

  /**
   * Re-renders these records (or all of the event's) if the event was published before. A change
   * of a few records (a pushed result, a correction; `queue.live.maxRecords`) is live work that
   * goes ahead of bulk re-renders; a template change re-renders in bulk.
   */
  const rerender = async (eventId: string, recordDocumentIds?: string[]) => {
    if ((recordDocumentIds && !recordDocumentIds.length) || !(await run.publishedOnce(eventId))) return null;
    // A template showing event-wide figures (time behind the winner, percentile) may change other
    // records' certificates too: all of the event's records are classified then.
    const wide = recordDocumentIds && (await classify.listTemplates(eventId)).some(showsEventStats);
    const stale = await classify.stale(eventId, wide ? undefined : recordDocumentIds);
    if (!stale.length) return null;
    const ids = stale.map((r) => r.record.documentId);
    if (!recordDocumentIds) return run.start(eventId, { trigger: 'auto', recordIds: ids });
    // The changed records themselves are live work when few; the certificates they ripple into
    // (others' percentile or time behind) follow as bulk work in the same run.
    const changed = new Set(recordDocumentIds);
    const own = ids.filter((id) => changed.has(id));
    const ripple = ids.filter((id) => !changed.has(id));
    const live = own.length <= getConfig(strapi).queue.live.maxRecords;
    const first = own.length ? await run.start(eventId, { trigger: 'auto', recordIds: own, live }) : null;
    return ripple.length ? run.start(eventId, { trigger: 'auto', recordIds: ripple }) : first;
  };

  return {
    WEBHOOK_EVENTS,
    stats,

    /** `renderedHash` a record has once its certificate matches its data and template. */
    renderKey: classify.renderKey,
    publishedOnce: run.publishedOnce,
    current: run.current,
    /**
     * Starts (or joins) a run for the event's new and stale records, or of those in `only`; with a
     * selection, `selected` says how many records it covered (the up-to-date ones are skipped).
     */
    async start(eventId: string, opts: StartOptions = {}): Promise<{ run: RunProgress; joined: boolean; selected?: number }> {
      if (!opts.only) return run.start(eventId, opts);
      const recordIds = await this.select(eventId, opts.only);
      return { ...(await run.start(eventId, { ...opts, recordIds })), selected: recordIds.length };
    },

    /**
     * The records a selection covers (document ids). Bibs or record ids the event does not have, or
     * a category none of its records has, are refused with the values named, before anything runs.
     */
    async select(eventId: string, only: PublishSelection): Promise<string[]> {
      const rows: Array<{ documentId: string; bib: string; category: string | null }> = await strapi.db
        .query(UID.record)
        .findMany({ where: { event: eventId }, select: ['documentId', 'bib', 'category'] });
      const refuse = (field: 'bibs' | 'recordIds', missing: string[], hint: string) => {
        const what = field === 'bibs' ? 'bib' : 'record id';
        const n = missing.length;
        throw certifyError.validation(
          `${n === 1 ? `1 ${what} is not a record` : `${n} ${what}s are not records`} of this event: ${missing.slice(0, 20).join(', ')}${
            n > 20 ? `, and ${n - 20} more` : ''
          }. ${hint}`,
          { field: `only.${field}`, missing: missing.slice(0, 100) }
        );
      };
      let chosen = rows;
      /** Keeps the records whose `key` is listed; refuses listed values no record of the event has. */
      const keepListed = (field: 'recordIds' | 'bibs', key: 'documentId' | 'bib', listed: string[] | undefined, hint: string) => {
        if (!listed) return;
        const known = new Set(rows.map((r) => r[key]));
        const missing = [...new Set(listed)].filter((value) => !known.has(value));
        if (missing.length) refuse(field, missing, hint);
        const wanted = new Set(listed);
        chosen = chosen.filter((r) => wanted.has(r[key]));
      };
      keepListed('recordIds', 'documentId', only.recordIds, 'They may have been deleted: reload the records and select again.');
      keepListed('bibs', 'bib', only.bibs, 'Correct or remove them, or import their results first.');
      if (only.category !== undefined) {
        const category = only.category.toLowerCase();
        const inCategory = chosen.filter((r) => (r.category ?? '').toLowerCase() === category);
        if (!inCategory.length) {
          const categories = [...new Set(rows.map((r) => r.category).filter(Boolean))].sort();
          throw certifyError.validation(
            `No ${only.recordIds || only.bibs ? 'selected ' : ''}record of this event is in category "${only.category}". Its categories: ${
              categories.slice(0, 30).join(', ') || 'none'
            }.`,
            { field: 'only.category', categories: categories.slice(0, 100) }
          );
        }
        chosen = inCategory;
      }
      return chosen.map((r) => r.documentId);
    },
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
     * What the certificates a publish would render (all of the event's new and changed ones, or
     * those of `only`) would show wrong; see preflight.ts.
     */
    async preflight(eventId: string, opts: { only?: PublishSelection; limit: number }): Promise<PreflightReport> {
      const documentIds = opts.only ? await this.select(eventId, opts.only) : undefined;
      return check(eventId, { documentIds, limit: opts.limit });
    },

    /**
     * What changed records and templates mean for certificates. Called by the Document Service
     * middlewares alone (middlewares/documents.ts), the one owner of "this changed".
     */
    onRecordsChanged: (eventId: string, recordDocumentIds: string[]) => rerender(eventId, recordDocumentIds),
    onTemplateChanged: (eventId: string) => rerender(eventId),
    refreshPhotoLinks: photos.refresh,

    /**
     * The share image of a published certificate, made now if the second pass has not made it
     * yet (a participant or a link preview asked for it first), and kept. True when the record has
     * it now.
     */
    async shareImageNow(record: { id: number; event: string; renderedHash: string | null }) {
      if (!record.renderedHash) return false;
      const row = await strapi.db.query(UID.record).findOne({ where: { id: record.id }, select: ['documentId'] });
      if (!row) return false;
      const [outcome] = await worker.makeImages(record.event, [{ id: 0, record_id: row.documentId, version: record.renderedHash, priority: 1 }]);
      return outcome?.status === 'done';
    },

    bootstrap() {
      const queue = getService(strapi, 'queue');
      queue.handle('render', worker);
      queue.handle('image', worker);
      queue.onSettled(async (runIds) => {
        if (runIds === 'idle') await run.finishIdle();
        else for (const id of runIds) await run.maybeFinish(id);
      });
    },
  };
};

export type PublishService = ReturnType<typeof publish>;
export default publish;
