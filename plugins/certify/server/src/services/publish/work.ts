import type { Core } from '@strapi/strapi';
import { UID, TABLE } from '../../constants';
import type { StoredFile, UploadRow } from '../media';
import { getConfig, getService, publicUrl } from '../../utils';
import type { RenderItem, RenderResult } from '../render';
import type { JobHandler, JobOutcome, JobRow } from '../queue';
import { showsPhoto, type Classifier } from './classify';
import type { EventStats } from '../render/derived';
import { certificateFileBase } from './keys';
import { chosenPhoto, type photoLinks } from './photos';
import type { Runs } from './run';
import { queueFollowUps, type RenderedItem, type storer } from './store';

type RenderPhoto = NonNullable<RenderItem['photo']>;
type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- record rows as read

/** Where a worker's time goes (read by bench/publish.js). */
export interface WorkStats {
  rendered: number;
  renderMs: number;
  storeMs: number;
}

/**
 * The queue's handler of `render` and `image` jobs. PDFs first: a `render` job makes the PDF (one
 * print call per batch, no screenshots), and once it is stored an `image` job makes the share
 * image in a second pass (or the participant's first look at it does, `shareImageNow`). Claimed
 * jobs are grouped by template, rendered in batches and stored; an outcome is reported per job.
 */
export const renderWorker = (
  strapi: Core.Strapi,
  deps: { classifier: Classifier; runs: Runs; store: ReturnType<typeof storer>; photos: ReturnType<typeof photoLinks>; stats: WorkStats }
): JobHandler & { makeImages: (eventId: string, jobs: Array<{ id: number; record_id: string; version: string | null; priority?: number }>) => Promise<JobOutcome[]> } => {
  const { classifier, runs, store, photos, stats } = deps;
  const cfg = () => getConfig(strapi);
  const verifyUrl = (code: string) => publicUrl(strapi, `/verify/${encodeURIComponent(code)}`);

  /** `pdf`: the certificates (PDF only); `image`: their share images with thumbnails (no PDF). */
  const renderBatch = (
    template: AnyRecord,
    items: Array<{ record: AnyRecord; photo: RenderPhoto | null }>,
    eventStats: EventStats | null | undefined,
    urgent: boolean,
    what: 'pdf' | 'image' = 'pdf'
  ): Promise<RenderResult[]> =>
    getService(strapi, 'render').renderBatch(
      template as Parameters<ReturnType<typeof getService<'render'>>['renderBatch']>[0],
      items.map(({ record, photo }) => ({ record, verifyUrl: verifyUrl(record.verificationCode), photo })),
      what === 'pdf'
        ? { image: false, timeoutMs: cfg().render.timeoutMs, urgent, eventStats }
        : { pdf: false, image: true, thumbnail: true, imageFormat: 'jpeg', timeoutMs: cfg().render.timeoutMs, urgent, eventStats }
    );

  /** Photo bytes of a chunk of records, in order (null where the template shows none). */
  const chunkPhotos = async (template: AnyRecord, records: AnyRecord[]) => {
    const chosen = showsPhoto(template) ? records.map((record) => chosenPhoto(record.photos)?.fileId ?? null) : [];
    const bytes = await photoBytes(chosen.filter((id): id is number => Boolean(id)));
    return records.map((_, k) => (chosen[k] && bytes.get(chosen[k]!)) || null);
  };

  /**
   * The bytes of the chosen photos, by file id. A certificate needs a few hundred pixels, not the
   * camera original: the media library's large (or medium) format when it made one.
   */
  const photoBytes = async (fileIds: number[]) => {
    const out = new Map<number, RenderPhoto>();
    if (!fileIds.length) return out;
    const files = (await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: fileIds } } })) as AnyRecord[];
    await Promise.all(
      files.map(async (file) => {
        const variant = file.formats?.large ?? file.formats?.medium ?? file;
        try {
          out.set(file.id, { data: await getService(strapi, 'media').read({ url: variant.url, provider: file.provider }), mime: variant.mime ?? file.mime });
        } catch (err) {
          // A photo that cannot be read leaves its frame to the template's fallback; the key still
          // names it, so the certificate is made again when the photo is fixed or replaced.
          strapi.log.warn(`[certify] reading photo file ${file.id} failed: ${(err as Error).message}`);
        }
      })
    );
    return out;
  };

  const renderEvent = async (eventId: string, jobs: JobRow[], runById: Map<string, AnyRecord>): Promise<JobOutcome[]> => {
    const outcomes: JobOutcome[] = [];
    const live: JobRow[] = [];
    for (const job of jobs) {
      const run = job.run ? runById.get(job.run) : null;
      if (run && ['cancelling', 'cancelled'].includes(run.status)) outcomes.push({ id: job.id, status: 'cancelled' });
      else live.push(job);
    }
    if (!live.length) return outcomes;

    const templates = await classifier.listTemplates(eventId);
    const records = await strapi.db.query(UID.record).findMany({
      where: { documentId: { $in: live.map((j) => j.record_id) } },
      populate: { pdf: true, shareImage: true, template: { select: ['id', 'documentId'] } },
    });
    const byId = new Map<string, AnyRecord>(records.map((r: AnyRecord) => [r.documentId, r]));
    const event = await getService(strapi, 'events').find(eventId);
    const folderId = await getService(strapi, 'media').eventFolder(eventId, event?.slug ?? event?.name);
    const links = await photos.forBibs(eventId, records.map((r: AnyRecord) => r.bib));
    // Rendered and keyed with the same figures, so a certificate's key says what it shows.
    const eventStats = await classifier.statsFor(eventId, templates);

    /** Records found already current: their share image and email are queued again if missing. */
    const followUps: Array<{ job: JobRow; record: AnyRecord; key: string }> = [];
    // Group the work by template; each group goes to the renderer in batches.
    const groups = new Map<string, { template: AnyRecord; items: Array<{ job: JobRow; record: AnyRecord; key: string }> }>();
    for (const job of live) {
      const record = byId.get(job.record_id);
      if (!record) {
        outcomes.push({ id: job.id, status: 'done', error: 'Record was deleted before it was rendered' });
        continue;
      }
      const template = classifier.pick(templates, record);
      if (!template) {
        await strapi.db.connection(TABLE.record).where({ id: record.id }).update({
          status: 'failed',
          last_error: 'No template applies to this record: add a default template or a rule that matches it.',
        });
        outcomes.push({ id: job.id, status: 'failed', error: 'No usable template' });
        continue;
      }
      // The key of what is rendered now: the photos as they are, not as last stored on the record.
      record.photos = links.get(String(record.bib)) ?? [];
      const key = classifier.renderKey(record, template, eventStats);
      if (record.renderedHash === key && record.pdf?.name === `${certificateFileBase(record, key)}.pdf`) {
        // Already stored (by a worker that died before it reported the job done, or by a
        // duplicate job): what follows a stored PDF may not have been queued yet.
        followUps.push({ job, record, key });
        outcomes.push({ id: job.id, status: 'done' });
        continue;
      }
      const group = groups.get(template.documentId) ?? { template, items: [] };
      group.items.push({ job, record, key });
      groups.set(template.documentId, group);
    }

    // The store step queues a stored certificate's share image and email after its commit; a
    // worker killed in between leaves the render job running, and its retry lands here.
    await queueFollowUps(
      strapi,
      eventId,
      followUps.map(({ job, record, key }) => ({
        run: job.run,
        recordId: record.documentId,
        version: key,
        image: record.shareImage?.name !== `${certificateFileBase(record, key)}.jpg`,
        email: Boolean(job.run && runById.get(job.run)?.options?.email && record.email && record.emailedHash !== key),
      }))
    );

    // A claim is normally one batch; the lanes of the queue overlap rendering and storing.
    const size = Math.max(1, cfg().render.batchSize);
    for (const { template, items } of groups.values()) {
      for (let i = 0; i < items.length; i += size) {
        const chunk = items.slice(i, i + size);
        const started = Date.now();
        let results: RenderResult[];
        try {
          const photos = await chunkPhotos(template, chunk.map(({ record }) => record));
          const urgent = chunk.some(({ job }) => job.priority > 0);
          results = await renderBatch(template, chunk.map(({ record }, k) => ({ record, photo: photos[k] })), eventStats, urgent);
        } catch (err) {
          // A whole-batch failure (e.g. Chromium died) is retried.
          outcomes.push(...chunk.map(({ job }) => ({ id: job.id, status: 'retry' as const, error: (err as Error).message })));
          continue;
        }
        stats.renderMs += Date.now() - started;
        stats.rendered += chunk.length;
        getService(strapi, 'metrics').observeRender(Date.now() - started, results.filter((r) => r && !r.error && r.pdf).length);
        const storeStarted = Date.now();
        const rendered: RenderedItem[] = chunk.map((item, k) => ({ ...item, result: results[k], photos: links.get(String(item.record.bib)) ?? [] }));
        outcomes.push(...(await store(eventId, folderId, rendered, runById)));
        stats.storeMs += Date.now() - storeStarted;
        getService(strapi, 'metrics').observeStore(Date.now() - storeStarted);
      }
    }
    return outcomes;
  };

  /**
   * Share images of certificates already stored (second pass): rendered without PDFs, sent to the
   * provider, then linked in one transaction to the records whose certificate is still that
   * version and has no share image of it yet (another worker, or a participant's first look, may
   * have made it meanwhile). A job for a version that was replaced is done: the new version's
   * render job queues its own image.
   */
  const makeImages = async (eventId: string, jobs: Array<{ id: number; record_id: string; version: string | null; priority?: number }>): Promise<JobOutcome[]> => {
    const outcomes: JobOutcome[] = [];
    const records = await strapi.db.query(UID.record).findMany({
      where: { documentId: { $in: jobs.map((j) => j.record_id) } },
      populate: { shareImage: true, template: { select: ['id', 'documentId'] } },
    });
    const byId = new Map<string, AnyRecord>(records.map((r: AnyRecord) => [r.documentId, r]));
    const templates = await classifier.listTemplates(eventId);
    const groups = new Map<string, { template: AnyRecord; items: Array<{ id: number; record: AnyRecord; key: string; urgent: boolean }> }>();
    for (const job of jobs) {
      const record = byId.get(job.record_id);
      const key = job.version;
      const template = record ? classifier.pick(templates, record) : null;
      if (!record || !key || record.renderedHash !== key || !template || record.shareImage?.name === `${certificateFileBase(record, key)}.jpg`) {
        outcomes.push({ id: job.id, status: 'done' });
        continue;
      }
      const group = groups.get(template.documentId) ?? { template, items: [] };
      group.items.push({ id: job.id, record, key, urgent: (job.priority ?? 0) > 0 });
      groups.set(template.documentId, group);
    }
    if (!groups.size) return outcomes;
    const eventStats = await classifier.statsFor(eventId, templates);
    const event = await getService(strapi, 'events').find(eventId);
    const folderId = await getService(strapi, 'media').eventFolder(eventId, event?.slug ?? event?.name);
    const media = getService(strapi, 'media');
    const size = Math.max(1, cfg().render.batchSize);
    for (const { template, items } of groups.values()) {
      for (let i = 0; i < items.length; i += size) {
        const chunk = items.slice(i, i + size);
        const uploaded: Array<{ item: (typeof chunk)[number]; file: UploadRow }> = [];
        try {
          const photos = await chunkPhotos(template, chunk.map(({ record }) => record));
          const results = await renderBatch(template, chunk.map(({ record }, k) => ({ record, photo: photos[k] })), eventStats, chunk.some((c) => c.urgent), 'image');
          for (const [k, item] of chunk.entries()) {
            const r = results[k];
            if (!r?.image || r.error) {
              outcomes.push({ id: item.id, status: r?.error && !r.transient ? 'failed' : 'retry', error: r?.error ?? 'The renderer returned no share image' });
              continue;
            }
            const thumbnail = r.thumbnail && r.thumbnailSize ? { data: r.thumbnail, ...r.thumbnailSize } : null;
            const name = `${certificateFileBase(item.record, item.key)}.jpg`;
            uploaded.push({ item, file: await media.upload(folderId, { name, mime: 'image/jpeg', data: r.image, size: r.imageSize, thumbnail }) });
          }
          const { linked, unused } = await strapi.db.transaction(async ({ trx }) => {
            const winners: typeof uploaded = [];
            const losers: UploadRow[] = [];
            for (const u of uploaded) {
              const current = await trx(TABLE.record).where({ id: u.item.record.id, rendered_hash: u.item.key }).update({ updated_at: new Date() });
              const fresh = await strapi.db.query(UID.record).findOne({ where: { id: u.item.record.id }, select: ['id'], populate: { shareImage: { select: ['name'] } } });
              if (current && fresh?.shareImage?.name !== u.file.name) winners.push(u);
              else losers.push(u.file);
            }
            const rows: StoredFile[] = await media.persistMany(winners.map((w) => w.file));
            await media.attach(UID.record, winners.map((w, k) => ({ id: w.item.record.id, field: 'shareImage', fileId: rows[k].id })));
            return { linked: winners.map((w, k) => ({ id: w.item.id, row: rows[k] })), unused: losers };
          });
          for (const f of unused) await media.discard(f).catch(() => undefined);
          media.announce(linked.map((l) => l.row));
          const done = new Set(outcomes.map((o) => o.id));
          outcomes.push(...chunk.filter((c) => !done.has(c.id)).map((c) => ({ id: c.id, status: 'done' as const })));
        } catch (err) {
          for (const u of uploaded) await media.discard(u.file).catch(() => undefined);
          const done = new Set(outcomes.map((o) => o.id));
          outcomes.push(...chunk.filter((c) => !done.has(c.id)).map((c) => ({ id: c.id, status: 'retry' as const, error: (err as Error).message })));
        }
      }
    }
    return outcomes;
  };

  return {
    makeImages,

    async work(jobs) {
      if (jobs[0]?.kind === 'image') {
        const byEvent = new Map<string, JobRow[]>();
        for (const j of jobs) byEvent.set(j.event, [...(byEvent.get(j.event) ?? []), j]);
        const outcomes: JobOutcome[] = [];
        for (const [eventId, list] of byEvent) outcomes.push(...(await makeImages(eventId, list)));
        return outcomes;
      }
      const runById = await runs.load([...new Set(jobs.map((j) => j.run).filter((r): r is string => Boolean(r)))]);
      const byEvent = new Map<string, JobRow[]>();
      for (const j of jobs) byEvent.set(j.event, [...(byEvent.get(j.event) ?? []), j]);
      const outcomes: JobOutcome[] = [];
      for (const [eventId, list] of byEvent) outcomes.push(...(await renderEvent(eventId, list, runById)));
      return outcomes;
    },

    /**
     * The record is not current: a new one is failed, and one published before shows "stale"
     * (its stored certificate is an earlier version), never "published", with the reason.
     */
    async gaveUp(spent) {
      // A share image that could not be made leaves the certificate as it is (made on first view).
      if (spent[0]?.job.kind === 'image') return;
      for (const { job, message } of spent) {
        const record = strapi.db.connection(TABLE.record).where({ document_id: job.record_id });
        await record.clone().whereNotIn('status', ['published', 'stale']).update({ status: 'failed', last_error: message.slice(0, 2000) });
        await record.clone().whereIn('status', ['published', 'stale']).update({ status: 'stale', last_error: message.slice(0, 2000) });
      }
    },
  };
};
