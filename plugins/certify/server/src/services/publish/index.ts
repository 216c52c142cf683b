import type { Core } from '@strapi/strapi';
import { UID, TABLE } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import type { PublishRequest, PublishSummary, RunProgress, CertificateHistoryEntry } from '../../../../shared/contracts/publish';
import { certifyError, getConfig, getService, publicUrl } from '../../utils';
import { renderKeyOf, safeName } from './keys';
import type { RenderItem, RenderResult } from '../render';
import type { CertificateFile } from '../media';
import { finishJob, MAX_ATTEMPTS, type JobRow } from '../queue/jobs';

type AnyRecord = Record<string, any>;

export const WEBHOOK_EVENTS = {
  runStarted: 'certify.run.started',
  runFinished: 'certify.run.finished',
  certificatePublished: 'certify.certificate.published',
} as const;

const RECORD_SELECT = ['id', 'documentId', 'event', 'bib', 'name', 'dataHash', 'renderedHash', 'status', 'category'];

const isUniqueViolation = (err: any) =>
  /unique|duplicate/i.test(String(err?.message ?? '')) || err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE';

const fileRef = (f: AnyRecord | null | undefined) => (f ? { id: f.id, name: f.name, url: f.url } : null);

/**
 * Publishing: which records need a (new) certificate, one run per event at a time, rendering in
 * batches through the queue, storing the files in the media library and linking them to the
 * record. Every write that completes a render is conditional on the record's `renderedHash`, so a
 * job worked twice (retry, take-over after a crash) yields one certificate per record version.
 */
const publisher = ({ strapi }: { strapi: Core.Strapi }) => {
  const templatesService = () => getService(strapi, 'templates');
  const cfg = () => getConfig(strapi);
  const queue = () => getService(strapi, 'queue');

  // The stored hash is kept current on every template save; compute it only if missing.
  const templateHash = (t: AnyRecord) => (t.hash as string) || templatesService().hash(t);
  const pick = (templates: AnyRecord[], record: AnyRecord): AnyRecord | null => templatesService().pickTemplate(templates, record);
  const listTemplates = async (eventId: string): Promise<AnyRecord[]> => templatesService().list(eventId);

  const renderBatch = (template: AnyRecord, items: RenderItem[]): Promise<RenderResult[]> =>
    getService(strapi, 'render').renderBatch(template as any, items, {
      image: true,
      thumbnail: true,
      imageFormat: 'jpeg',
      timeoutMs: cfg().render.timeoutMs,
    });

  const verifyUrl = (code: string) => publicUrl(strapi, `/verify/${encodeURIComponent(code)}`);

  const emit = (event: string, payload: AnyRecord) => {
    try {
      strapi.eventHub.emit(event, payload);
    } catch (err) {
      strapi.log.warn(`[certify] emitting ${event} failed: ${(err as Error).message}`);
    }
  };

  const loadRecords = async (eventId: string, documentIds?: string[]) =>
    strapi.db.query(UID.record).findMany({
      where: { event: eventId, ...(documentIds ? { documentId: { $in: documentIds } } : {}) },
      select: [...RECORD_SELECT, 'firstName', 'lastName', 'gender', 'finishTime', 'finishSeconds', 'rankOverall', 'rankGender', 'rankCategory', 'extra'],
      populate: { template: { select: ['id', 'documentId'] } },
      orderBy: { id: 'asc' },
    });

  /** Each record with its template and whether it needs rendering. */
  const classify = async (eventId: string, documentIds?: string[]) => {
    const templates = await listTemplates(eventId);
    const records = await loadRecords(eventId, documentIds);
    return records.map((record: AnyRecord) => {
      const template = pick(templates, record);
      const key = template ? renderKeyOf(record.dataHash, templateHash(template)) : null;
      const state = !template ? 'noTemplate' : !record.renderedHash ? 'new' : record.renderedHash !== key ? 'changed' : 'unchanged';
      return { record, template, key, state } as const;
    });
  };

  const findActiveRun = (eventId: string) => strapi.db.query(UID.publishRun).findOne({ where: { activeKey: eventId } });

  const progress = async (run: AnyRecord): Promise<RunProgress> => {
    const rows: Array<{ kind: string; status: string; n: number | string }> = await strapi.db
      .connection(TABLE.renderJob)
      .where({ run: run.documentId })
      .select('kind', 'status')
      .count({ n: '*' })
      .groupBy('kind', 'status');
    const c = (kind: string, status: string) => Number(rows.find((r) => r.kind === kind && r.status === status)?.n ?? 0);
    const total = rows.filter((r) => r.kind === 'render').reduce((s, r) => s + Number(r.n), 0);
    const done = c('render', 'done');
    const failed = c('render', 'failed');
    const remaining = c('render', 'queued') + c('render', 'running');
    const started = run.startedAt ? new Date(run.startedAt).getTime() : Date.now();
    const end = run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now();
    const seconds = Math.max(0.001, (end - started) / 1000);
    const ratePerSec = Math.round(((done + failed) / seconds) * 100) / 100;
    return {
      id: run.id,
      documentId: run.documentId,
      eventId: run.event,
      status: run.status,
      trigger: run.trigger ?? null,
      total,
      done,
      failed,
      remaining,
      ratePerSec,
      etaSec: remaining === 0 ? 0 : ratePerSec > 0 ? Math.ceil(remaining / ratePerSec) : null,
      emails: { queued: c('email', 'queued') + c('email', 'running'), sent: c('email', 'done'), failed: c('email', 'failed') },
      startedAt: run.startedAt ? new Date(run.startedAt).toISOString() : null,
      finishedAt: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
    };
  };

  /** Closes a run once none of its jobs is waiting; only one caller wins (conditional update). */
  const maybeFinish = async (runDocumentId: string) => {
    const open = await strapi.db
      .connection(TABLE.renderJob)
      .where({ run: runDocumentId })
      .whereIn('status', ['queued', 'running'])
      .count<{ n: number }[]>({ n: '*' });
    if (Number(open[0]?.n ?? 0) > 0) return;
    const run = await strapi.db.query(UID.publishRun).findOne({ where: { documentId: runDocumentId } });
    if (!run || !['running', 'cancelling'].includes(run.status)) return;
    const p = await progress(run);
    const status = run.status === 'cancelling' ? 'cancelled' : 'finished';
    const changed = await strapi.db
      .connection(TABLE.publishRun)
      .where({ id: run.id, status: run.status })
      .update({ status, active_key: null, finished_at: new Date(), done: p.done, failed: p.failed, total: p.total, updated_at: new Date() });
    if (changed) emit(WEBHOOK_EVENTS.runFinished, { run: { ...p, status }, eventId: run.event });
  };

  /**
   * One file of a render, sent to the provider but not yet in the media library (its row is
   * written with the record, in one transaction). A retried job first looks for the file by name:
   * an attempt that committed before the job could be closed has already stored it.
   */
  const prepareFile = async (folderId: number, file: CertificateFile, retry: boolean): Promise<{ existing: AnyRecord } | { upload: AnyRecord }> => {
    const media = getService(strapi, 'media');
    if (retry) {
      const [existing] = await media.findByName(folderId, file.name);
      if (existing) return { existing };
    }
    return { upload: await media.upload(folderId, file) };
  };

  /** Runs `fn` over `items`, at most `limit` at a time, results in order. */
  const mapLimit = async <T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
  };

  const photosFor = async (eventId: string, bibs: string[]) => {
    const { photo } = cfg();
    if (!bibs.length || !strapi.contentTypes[photo.uid as keyof typeof strapi.contentTypes]) return new Map<string, AnyRecord[]>();
    const photos = await strapi.db.query(photo.uid as any).findMany({
      where: { [photo.eventField]: { documentId: eventId } },
      populate: { [photo.imageField]: true },
    });
    const wanted = new Set(bibs.map(String));
    const byBib = new Map<string, AnyRecord[]>();
    for (const p of photos as AnyRecord[]) {
      const list = Array.isArray(p[photo.bibsField]) ? p[photo.bibsField].map(String) : [];
      for (const bib of list) {
        if (!wanted.has(bib)) continue;
        const img = p[photo.imageField];
        const link = { documentId: p.documentId, url: img?.url ?? null, caption: p[photo.captionField] ?? null };
        byBib.set(bib, [...(byBib.get(bib) ?? []), link]);
      }
    }
    return byBib;
  };

  // Where a worker's time goes (read by bench/publish.js).
  const stats = { rendered: 0, renderMs: 0, storeMs: 0 };

  return {
    WEBHOOK_EVENTS,
    stats,

    /** `renderedHash` a record has once its certificate matches its data and template. */
    renderKey(record: AnyRecord, template: AnyRecord) {
      return renderKeyOf(record.dataHash, templateHash(template));
    },

    async publishedOnce(eventId: string) {
      return (await strapi.db.query(UID.publishRun).count({ where: { event: eventId } })) > 0;
    },

    async summary(eventId: string): Promise<PublishSummary> {
      const rows = await classify(eventId);
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
      return { eventId, total: rows.length, ...counts, templates: [...byTemplate.values()], publishedOnce: await this.publishedOnce(eventId) };
    },

    async current(eventId: string): Promise<RunProgress | null> {
      const run =
        (await findActiveRun(eventId)) ??
        (await strapi.db.query(UID.publishRun).findOne({ where: { event: eventId }, orderBy: { id: 'desc' } }));
      return run ? progress(run) : null;
    },

    async runProgress(runDocumentId: string) {
      const run = await strapi.db.query(UID.publishRun).findOne({ where: { documentId: runDocumentId } });
      return run ? progress(run) : null;
    },

    /**
     * Starts a run for the event's new and stale records, or joins the one in progress. The
     * database's unique index on `active_key` (= event while a run is active) is the guard: of
     * two concurrent requests exactly one inserts, the other joins.
     */
    async start(
      eventId: string,
      opts: PublishRequest & { trigger?: string; recordIds?: string[] } = {}
    ): Promise<{ run: RunProgress; joined: boolean }> {
      const options = { email: Boolean(opts.email), emailSubject: opts.emailSubject, emailBody: opts.emailBody, attach: opts.attach !== false };
      let run: AnyRecord | null = null;
      let joined = false;
      try {
        run = await strapi.db.query(UID.publishRun).create({
          data: { event: eventId, status: 'running', activeKey: eventId, trigger: opts.trigger ?? 'manual', options, startedAt: new Date() },
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        run = await findActiveRun(eventId);
        if (!run) {
          // The active run finished between our insert and this read: try once more.
          return this.start(eventId, opts);
        }
        joined = true;
        if (opts.email && !run.options?.email && opts.trigger !== 'auto') {
          throw certifyError.conflict(
            ERROR_CODES.runInProgress,
            'A publish run without email is in progress for this event. Wait for it to finish (or cancel it), then publish again with email.',
            { runId: run.documentId }
          );
        }
      }
      // Workers on several machines must find one folder, not race to create their own.
      if (!joined) {
        const event = await getService(strapi, 'events').find(eventId);
        await getService(strapi, 'media').eventFolder(eventId, event?.slug ?? event?.name);
      }
      const rows = (await classify(eventId, opts.recordIds)).filter((r) => r.state === 'new' || r.state === 'changed');
      await queue().enqueue(
        run!.documentId,
        eventId,
        'render',
        rows.map((r) => ({ recordId: r.record.documentId, version: r.key! }))
      );
      if (rows.length) {
        await strapi.db
          .connection(TABLE.record)
          .whereIn('document_id', rows.filter((r) => r.state === 'new').map((r) => r.record.documentId))
          .where('status', 'pending')
          .update({ status: 'queued' });
      }
      if (!joined) emit(WEBHOOK_EVENTS.runStarted, { run: await progress(run!), eventId });
      await maybeFinish(run!.documentId);
      const fresh = await strapi.db.query(UID.publishRun).findOne({ where: { id: run!.id } });
      return { run: await progress(fresh ?? run!), joined };
    },

    async cancel(eventId: string, runDocumentId: string): Promise<RunProgress> {
      const run = await strapi.db.query(UID.publishRun).findOne({ where: { documentId: runDocumentId, event: eventId } });
      if (!run) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Publish run "${runDocumentId}" was not found for this event.`);
      if (['running', 'queued'].includes(run.status)) {
        await strapi.db.connection(TABLE.publishRun).where({ id: run.id }).whereIn('status', ['running', 'queued']).update({ status: 'cancelling' });
        await strapi.db
          .connection(TABLE.renderJob)
          .where({ run: run.documentId, status: 'queued' })
          .update({ status: 'cancelled', updated_at: new Date() });
        await maybeFinish(run.documentId);
      }
      return progress((await strapi.db.query(UID.publishRun).findOne({ where: { id: run.id } }))!);
    },

    /** Called after record writes (importer, edits): re-render exactly those, once published. */
    async onRecordsChanged(eventId: string, recordDocumentIds: string[]) {
      if (!recordDocumentIds.length || !(await this.publishedOnce(eventId))) return null;
      const stale = (await classify(eventId, recordDocumentIds)).filter((r) => r.state === 'new' || r.state === 'changed');
      if (!stale.length) return null;
      return this.start(eventId, { trigger: 'auto', recordIds: stale.map((r) => r.record.documentId) });
    },

    /** Called after a template save: its records (the ones whose key changed) are re-rendered. */
    async onTemplateChanged(eventId: string, _templateDocumentId?: string) {
      if (!(await this.publishedOnce(eventId))) return null;
      const stale = (await classify(eventId)).filter((r) => r.state === 'new' || r.state === 'changed');
      if (!stale.length) return null;
      return this.start(eventId, { trigger: 'auto', recordIds: stale.map((r) => r.record.documentId) });
    },

    /** Keeps `record.photos` (the JSON link to the participant's photos) current for these bibs. */
    async refreshPhotoLinks(eventId: string, bibs: string[]) {
      const uniq = [...new Set(bibs.map(String))];
      if (!uniq.length) return;
      const byBib = await photosFor(eventId, uniq);
      for (const bib of uniq) {
        await strapi.db
          .connection(TABLE.record)
          .where({ event: eventId, bib })
          .update({ photos: JSON.stringify(byBib.get(bib) ?? []) });
      }
    },

    /** Closes runs whose jobs are all done (e.g. after a crash, or a run with nothing to do). */
    async finishIdleRuns() {
      const active = await strapi.db.query(UID.publishRun).findMany({ where: { activeKey: { $notNull: true } }, select: ['documentId'] });
      for (const run of active) await maybeFinish(run.documentId);
    },

    /** Works claimed jobs (called by the queue with the claim token). */
    async work(jobs: JobRow[], token: string) {
      const renders = jobs.filter((j) => j.kind === 'render');
      const emails = jobs.filter((j) => j.kind === 'email');
      const runs = new Set<string>();
      for (const j of jobs) if (j.run) runs.add(j.run);

      const byEvent = new Map<string, JobRow[]>();
      for (const j of renders) byEvent.set(j.event, [...(byEvent.get(j.event) ?? []), j]);
      for (const [eventId, list] of byEvent) await this.renderJobs(eventId, list, token);
      if (emails.length) await getService(strapi, 'delivery').workJobs(emails, token);
      for (const run of runs) await maybeFinish(run);
    },

    async renderJobs(eventId: string, jobs: JobRow[], token: string) {
      const runIds = [...new Set(jobs.map((j) => j.run).filter(Boolean))] as string[];
      const runs = runIds.length ? await strapi.db.query(UID.publishRun).findMany({ where: { documentId: { $in: runIds } } }) : [];
      const runById = new Map(runs.map((r: AnyRecord) => [r.documentId, r]));
      const live: JobRow[] = [];
      for (const job of jobs) {
        const run = job.run ? runById.get(job.run) : null;
        if (run && ['cancelling', 'cancelled'].includes(run.status)) await finishJob(strapi, job.id, token, 'cancelled');
        else if (job.attempts > MAX_ATTEMPTS) {
          const message = `Gave up after ${MAX_ATTEMPTS} attempts${job.last_error ? `: ${job.last_error}` : ''}`;
          if (job.kind === 'render') {
            // A published certificate stays valid (its earlier version); the error says why it is not current.
            const record = strapi.db.connection(TABLE.record).where({ document_id: job.record_id });
            await record.clone().whereNot('status', 'published').update({ status: 'failed', last_error: message.slice(0, 2000) });
            await record.clone().where('status', 'published').update({ last_error: message.slice(0, 2000) });
          }
          await finishJob(strapi, job.id, token, 'failed', message);
        }
        else live.push(job);
      }
      if (!live.length) return;

      const templates = await listTemplates(eventId);
      const records = await strapi.db.query(UID.record).findMany({
        where: { documentId: { $in: live.map((j) => j.record_id) } },
        populate: { pdf: true, shareImage: true, template: { select: ['id', 'documentId'] } },
      });
      const byId = new Map(records.map((r: AnyRecord) => [r.documentId, r]));
      const event = await getService(strapi, 'events').find(eventId);
      const folderId = await getService(strapi, 'media').eventFolder(eventId, event?.slug ?? event?.name);
      const photoLinks = await photosFor(eventId, records.map((r: AnyRecord) => r.bib));

      // Group the work by template; each group goes to the renderer in batches.
      const groups = new Map<string, { template: AnyRecord; items: Array<{ job: JobRow; record: AnyRecord; key: string }> }>();
      for (const job of live) {
        const record = byId.get(job.record_id);
        if (!record) {
          await finishJob(strapi, job.id, token, 'done', 'Record was deleted before it was rendered');
          continue;
        }
        const template = pick(templates, record);
        if (!template) {
          await strapi.db.connection(TABLE.record).where({ id: record.id }).update({
            status: 'failed',
            last_error: 'No template applies to this record: add a default template or a rule that matches it.',
          });
          await finishJob(strapi, job.id, token, 'failed', 'No usable template');
          continue;
        }
        const key = this.renderKey(record, template);
        const pdfName = `${safeName(record.bib, 30)}-${record.documentId}-${key.slice(0, 12)}.pdf`;
        if (record.renderedHash === key && record.pdf?.name === pdfName) {
          await finishJob(strapi, job.id, token, 'done');
          continue;
        }
        const g = groups.get(template.documentId) ?? { template, items: [] };
        g.items.push({ job, record, key });
        groups.set(template.documentId, g);
      }

      // A claim is normally one batch; the lanes of the queue overlap rendering and storing.
      const size = Math.max(1, cfg().render.batchSize);
      for (const { template, items } of groups.values()) {
        for (let i = 0; i < items.length; i += size) {
          const chunk = items.slice(i, i + size);
          const started = Date.now();
          let results: RenderResult[];
          try {
            results = await renderBatch(template, chunk.map(({ record }) => ({ record, verifyUrl: verifyUrl(record.verificationCode), photo: null })));
          } catch (err) {
            // A whole-batch failure (e.g. Chromium died) is retried: give the jobs back.
            await finishJob(strapi, chunk.map(({ job }) => job.id), token, 'queued', (err as Error).message);
            continue;
          }
          stats.renderMs += Date.now() - started;
          stats.rendered += chunk.length;
          const storeStarted = Date.now();
          await this.storeChunk(
            eventId,
            folderId,
            chunk.map((item, k) => ({ ...item, result: results[k], photos: photoLinks.get(String(item.record.bib)) ?? [] })),
            token,
            runById
          );
          stats.storeMs += Date.now() - storeStarted;
        }
      }
    },

    /**
     * Stores a rendered batch. The files go to the provider first (outside any transaction); then
     * one transaction per batch writes every file row, record and job, so a crash leaves either a
     * whole batch or none of it. Each record is updated only if its `renderedHash` is still what
     * was read (optimistic concurrency): a record another worker completed meanwhile keeps that
     * worker's files, and the files uploaded here for it are deleted again.
     */
    async storeChunk(
      eventId: string,
      folderId: number,
      items: Array<{ job: JobRow; record: AnyRecord; key: string; result: RenderResult | undefined; photos: AnyRecord[] }>,
      token: string,
      runById: Map<string, AnyRecord> = new Map()
    ) {
      const media = getService(strapi, 'media');
      type Prepared = Awaited<ReturnType<typeof prepareFile>>;
      const rendered: Array<(typeof items)[number] & { pdf: Prepared; image: Prepared | null }> = [];
      const failed: Array<{ job: JobRow; record: AnyRecord; message: string; requeue: boolean }> = [];
      const uploads = (p: Prepared | null) => (p && 'upload' in p ? [p.upload] : []);

      // 1. Files to the provider, a few at a time (S3 round trips overlap; local disk is quick).
      await mapLimit(items, 8, async (item) => {
        const { job, record, key, result } = item;
        if (!result || result.error || !result.pdf) {
          failed.push({ job, record, message: result?.error ?? 'The renderer returned no PDF', requeue: false });
          return;
        }
        const retry = job.attempts > 1;
        const base = `${safeName(record.bib, 30)}-${record.documentId}-${key.slice(0, 12)}`;
        const ext = result.imageMime === 'image/jpeg' ? 'jpg' : result.imageMime === 'image/webp' ? 'webp' : 'png';
        try {
          const pdf = await prepareFile(folderId, { name: `${base}.pdf`, mime: 'application/pdf', data: result.pdf }, retry);
          const thumbnail = result.thumbnail && result.thumbnailSize ? { data: result.thumbnail, ...result.thumbnailSize } : null;
          const image = result.image
            ? await prepareFile(
                folderId,
                { name: `${base}.${ext}`, mime: result.imageMime ?? 'image/png', data: result.image, size: result.imageSize, thumbnail },
                retry
              ).catch(async (err) => {
                for (const f of uploads(pdf)) await media.discard(f).catch(() => undefined);
                throw err;
              })
            : null;
          rendered.push({ ...item, pdf, image });
        } catch (err) {
          strapi.log.error(`[certify] storing certificate of bib ${record.bib}: ${(err as Error).stack}`);
          failed.push({ job, record, message: (err as Error).message, requeue: true });
        }
      });

      // 2. One transaction: file rows, records (conditionally), media links, jobs.
      const now = new Date();
      type Published = { item: (typeof rendered)[number]; pdf: AnyRecord; image: AnyRecord | null; corrected: boolean; created: AnyRecord[] };
      const published: Published[] = [];
      const superseded: AnyRecord[] = [];
      const write = (part: typeof rendered, failures: typeof failed) =>
        strapi.db.transaction(async ({ trx }) => {
          const done: Published[] = [];
          const unused: AnyRecord[] = [];
          for (const { job, record, message, requeue } of failures) {
            if (!requeue) await trx(TABLE.record).where({ id: record.id }).update({ status: 'failed', last_error: message });
            await finishJob(strapi, job.id, token, requeue ? 'queued' : 'failed', message, trx);
          }
          const winners: Array<{ item: (typeof rendered)[number]; corrected: boolean }> = [];
          for (const item of part) {
            const { job, record, key } = item;
            const previous = record.renderedHash ?? null;
            const corrected = Boolean(previous && previous !== key && record.pdf);
            const history: CertificateHistoryEntry[] = Array.isArray(record.history) ? [...record.history] : [];
            if (corrected) {
              history.push({
                renderedHash: previous,
                certifiedAt: record.correctedAt ?? record.certifiedAt ?? null,
                replacedAt: now.toISOString(),
                pdf: fileRef(record.pdf),
                image: fileRef(record.shareImage),
              });
            }
            const q = trx(TABLE.record).where({ id: record.id });
            if (previous === null) q.whereNull('rendered_hash');
            else q.where('rendered_hash', previous);
            const changed = await q.update({
              rendered_hash: key,
              status: 'published',
              certified_at: record.certifiedAt ? new Date(record.certifiedAt) : now,
              corrected_at: corrected ? now : record.correctedAt ? new Date(record.correctedAt) : null,
              history: JSON.stringify(history),
              photos: JSON.stringify(item.photos),
              last_error: null,
              updated_at: now,
            });
            if (changed) winners.push({ item, corrected });
            else {
              unused.push(...uploads(item.pdf), ...uploads(item.image));
              await finishJob(strapi, job.id, token, 'done', 'Superseded: another worker stored this version', trx);
            }
          }
          // The winners' files: their rows in one insert, then the links from the records.
          const fresh = winners.flatMap(({ item }) => [...uploads(item.pdf), ...uploads(item.image)]);
          const position = new Map(fresh.map((f, i) => [f, i]));
          const rows = await media.persistMany(fresh);
          const rowOf = (p: Prepared) => ('existing' in p ? p.existing : rows[position.get(p.upload)!]);
          const links: Array<{ id: number; field: string; fileId: number | null }> = [];
          for (const { item, corrected } of winners) {
            const pdf = rowOf(item.pdf);
            const image = item.image ? rowOf(item.image) : null;
            links.push({ id: item.record.id, field: 'pdf', fileId: pdf.id }, { id: item.record.id, field: 'shareImage', fileId: image?.id ?? null });
            const created = [item.pdf, item.image].flatMap((p) => (p && 'upload' in p ? [rowOf(p)] : []));
            done.push({ item, pdf, image, corrected, created });
          }
          await media.attach(UID.record, links);
          await finishJob(strapi, winners.map(({ item }) => item.job.id), token, 'done', null, trx);
          return { done, unused };
        });
      const settle = (result: { done: Published[]; unused: AnyRecord[] }) => {
        published.push(...result.done);
        superseded.push(...result.unused);
      };
      try {
        settle(await write(rendered, failed));
      } catch (batchError) {
        // Nothing of the batch was written. Store its certificates one by one, so one that the
        // database refuses does not hold back the others; that one goes back to the queue.
        strapi.log.warn(`[certify] storing a batch of ${items.length} certificates failed, storing them one by one: ${(batchError as Error).message}`);
        const giveBack = async (part: typeof rendered, jobs: JobRow[], err: Error) => {
          for (const item of part) {
            for (const f of [...uploads(item.pdf), ...uploads(item.image)]) await media.discard(f).catch(() => undefined);
          }
          await finishJob(strapi, jobs.map((j) => j.id), token, 'queued', err.message).catch(() => undefined);
        };
        try {
          settle(await write([], failed));
        } catch (err) {
          await giveBack([], failed.map((f) => f.job), err as Error);
        }
        for (const item of rendered) {
          try {
            settle(await write([item], []));
          } catch (err) {
            strapi.log.error(`[certify] storing certificate of bib ${item.record.bib}: ${(err as Error).stack}`);
            await giveBack([item], [item.job], err as Error);
          }
        }
      }

      // 3. After the commit: uploads nobody uses, listeners, emails.
      for (const f of superseded) await media.discard(f).catch(() => undefined);
      const emails = new Map<string, Array<{ recordId: string; version: string }>>();
      for (const { item, pdf, corrected, created } of published) {
        media.announce(created as any);
        const { record, job, key } = item;
        emit(WEBHOOK_EVENTS.certificatePublished, {
          eventId,
          record: { documentId: record.documentId, bib: record.bib, name: record.name, verificationCode: record.verificationCode },
          corrected,
          pdfUrl: pdf.url,
        });
        const run = job.run ? runById.get(job.run) : null;
        if (run?.options?.email && record.email) emails.set(job.run!, [...(emails.get(job.run!) ?? []), { recordId: record.documentId, version: key }]);
      }
      for (const [runId, entries] of emails) await queue().enqueue(runId, eventId, 'email', entries);
    },
  };
};

export type PublisherService = ReturnType<typeof publisher>;
export default publisher;
