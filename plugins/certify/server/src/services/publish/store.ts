import type { Core } from '@strapi/strapi';
import { UID, TABLE } from '../../constants';
import type { CertificateHistoryEntry, RenderWarning } from '../../../../shared/contracts/publish';
import { getService } from '../../utils';
import { withoutServerPaths } from '../../utils/redact';
import { jobLogFields } from '../../utils/log';
import type { RenderResult } from '../render';
import type { CertificateFile, StoredFile, UploadRow } from '../media';
import type { JobOutcome, JobRow } from '../queue';
import type { PhotoLink } from './photos';
import { certificateFileBase } from './keys';
import { WEBHOOK_EVENTS, type Runs } from './run';

type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- record and file rows as read

export interface RenderedItem {
  job: JobRow;
  record: AnyRecord;
  key: string;
  result: RenderResult | undefined;
  photos: PhotoLink[];
}

/** A file sent to the provider but not yet in the media library, or one an earlier attempt stored. */
type Prepared = { existing: StoredFile } | { upload: UploadRow };
type Failure = { job: JobRow; record: AnyRecord; message: string; retry: boolean };
type Published = { item: RenderedItem & { pdf: Prepared; image: Prepared | null }; pdf: AnyRecord; image: AnyRecord | null; corrected: boolean; created: AnyRecord[] };

const fileRef = (f: AnyRecord | null | undefined) => (f ? { id: f.id, name: f.name, url: f.url } : null);
const uploads = (p: Prepared | null) => (p && 'upload' in p ? [p.upload] : []);

/** The record's `render_warnings` column: what the certificate just rendered shows wrong, or null. */
const renderWarnings = (result: RenderResult | undefined) => {
  const warnings: RenderWarning[] = (result?.overflow ?? []).map((elementId) => ({ kind: 'overflow', elementId }));
  return warnings.length ? JSON.stringify(warnings) : null;
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

/** What a stored certificate still needs: its share image (second pass) and its email. */
export interface FollowUp {
  run: string | null;
  recordId: string;
  version: string;
  image: boolean;
  email: boolean;
}

/**
 * Queues the share images and emails of stored certificates, per run. Job keys are unique per
 * record and version, and an email is sent once per version, so queuing twice does nothing twice.
 */
export async function queueFollowUps(strapi: Core.Strapi, eventId: string, items: FollowUp[]) {
  const queue = getService(strapi, 'queue');
  for (const kind of ['email', 'image'] as const) {
    const byRun = new Map<string | null, Array<{ recordId: string; version: string }>>();
    for (const f of items) if (f[kind]) byRun.set(f.run, [...(byRun.get(f.run) ?? []), { recordId: f.recordId, version: f.version }]);
    for (const [runId, entries] of byRun) await queue.enqueue(runId, eventId, kind, entries);
  }
}

/**
 * Stores a rendered batch. The files go to the provider first (outside any transaction); then
 * one transaction per batch writes every file row and record, so a crash leaves either a whole
 * batch or none of it. Each record is updated only if its `renderedHash` is still what was read
 * (optimistic concurrency): a record another worker completed meanwhile keeps that worker's
 * files, and the files uploaded here for it are deleted again. Returns an outcome per job for the
 * queue to record; a job whose batch committed but whose outcome was lost (a crash) finds its
 * certificate stored when it is worked again.
 */
export const storer = (strapi: Core.Strapi, runs: Runs) => {
  const media = () => getService(strapi, 'media');

  /** A retried job first looks for its file by name: an earlier attempt may have stored it. */
  const prepareFile = async (folderId: number, file: CertificateFile, retry: boolean): Promise<Prepared> => {
    if (retry) {
      const [existing] = await media().findByName(folderId, file.name);
      if (existing) return { existing };
    }
    return { upload: await media().upload(folderId, file) };
  };

  const discard = async (files: AnyRecord[]) => {
    for (const f of files) await media().discard(f).catch(() => undefined);
  };

  /** 1. Files to the provider, a few at a time (S3 round trips overlap; local disk is quick). */
  const sendFiles = async (folderId: number, items: RenderedItem[]) => {
    const rendered: Array<RenderedItem & { pdf: Prepared; image: Prepared | null }> = [];
    const failed: Failure[] = [];
    await mapLimit(items, 8, async (item) => {
      const { job, record, key, result } = item;
      if (!result || result.error || !result.pdf) {
        failed.push({ job, record, message: result?.error ?? 'The renderer returned no PDF', retry: Boolean(result?.transient) });
        return;
      }
      const retry = job.attempts > 1;
      const base = certificateFileBase(record, key);
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
              await discard(uploads(pdf));
              throw err;
            })
          : null;
        rendered.push({ ...item, pdf, image });
      } catch (err) {
        strapi.log.error(`[certify] storing certificate of bib ${record.bib}: ${(err as Error).stack}`, jobLogFields([job]));
        failed.push({ job, record, message: (err as Error).message, retry: true });
      }
    });
    return { rendered, failed };
  };

  /** 2. One transaction: file rows, records (conditionally), media links. */
  const write = (now: Date, part: Array<RenderedItem & { pdf: Prepared; image: Prepared | null }>, failures: Failure[]) =>
    strapi.db.transaction(async ({ trx }) => {
      const outcomes: JobOutcome[] = [];
      const done: Published[] = [];
      const unused: AnyRecord[] = [];
      for (const { job, record, message, retry } of failures) {
        if (!retry) await trx(TABLE.record).where({ id: record.id }).update({ status: 'failed', last_error: withoutServerPaths(message) });
        outcomes.push({ id: job.id, status: retry ? 'retry' : 'failed', error: message });
      }
      const winners: Array<{ item: (typeof part)[number]; corrected: boolean }> = [];
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
          render_warnings: renderWarnings(item.result),
          last_error: null,
          updated_at: now,
        });
        if (changed) winners.push({ item, corrected });
        else {
          unused.push(...uploads(item.pdf), ...uploads(item.image));
          outcomes.push({ id: job.id, status: 'done', error: 'Superseded: another worker stored this version' });
        }
      }
      // The winners' files: their rows in one insert, then the links from the records.
      const fresh = winners.flatMap(({ item }) => [...uploads(item.pdf), ...uploads(item.image)]);
      const position = new Map(fresh.map((f, i) => [f, i]));
      const rows = await media().persistMany(fresh);
      const rowOf = (p: Prepared) => ('existing' in p ? p.existing : rows[position.get(p.upload)!]);
      const links: Array<{ id: number; field: string; fileId: number | null }> = [];
      for (const { item, corrected } of winners) {
        const pdf = rowOf(item.pdf);
        const image = item.image ? rowOf(item.image) : null;
        links.push({ id: item.record.id, field: 'pdf', fileId: pdf.id }, { id: item.record.id, field: 'shareImage', fileId: image?.id ?? null });
        const created = [item.pdf, item.image].flatMap((p) => (p && 'upload' in p ? [rowOf(p)] : []));
        done.push({ item, pdf, image, corrected, created });
        outcomes.push({ id: item.job.id, status: 'done' });
      }
      await media().attach(UID.record, links);
      return { done, unused, outcomes };
    });

  /**
   * The records of `result` whose committed certificate is not in the database after all, or null
   * when that cannot be read. A COMMIT that fails because the connection was dropped (a database
   * restart) is not reported to the caller of Strapi's transaction (knex settles the transaction
   * promise nobody awaits), so the batch would count as stored while it was rolled back: it is
   * read back before its jobs are reported done.
   */
  const notKept = async (result: Awaited<ReturnType<typeof write>>): Promise<Published[] | null> => {
    if (!result.done.length) return [];
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const rows: Array<{ id: number; rendered_hash: string | null }> = await strapi.db
          .connection(TABLE.record)
          .whereIn('id', result.done.map((d) => d.item.record.id))
          .select('id', 'rendered_hash');
        const kept = new Map(rows.map((r) => [r.id, r.rendered_hash]));
        // Not kept: still the hash read before the write (another worker may have stored a newer
        // version since, which is not a loss).
        return result.done.filter((d) => (kept.get(d.item.record.id) ?? null) === (d.item.record.renderedHash ?? null));
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return null;
  };

  return async function store(eventId: string, folderId: number, items: RenderedItem[], runById: Map<string, AnyRecord>): Promise<JobOutcome[]> {
    const { rendered, failed } = await sendFiles(folderId, items);
    const now = new Date();
    const outcomes: JobOutcome[] = [];
    const published: Published[] = [];
    const superseded: AnyRecord[] = [];
    const settle = (result: Awaited<ReturnType<typeof write>>) => {
      published.push(...result.done);
      superseded.push(...result.unused);
      outcomes.push(...result.outcomes);
    };
    /** Nothing of this part was written: its uploads go, its jobs are retried. */
    const giveBack = async (part: typeof rendered, jobs: JobRow[], err: Error) => {
      await discard(part.flatMap((item) => [...uploads(item.pdf), ...uploads(item.image)]));
      outcomes.push(...jobs.map((job) => ({ id: job.id, status: 'retry' as const, error: err.message })));
    };
    /** Jobs given back without removing the files: whether their commit landed is unknown. */
    const uncertain = (jobs: JobRow[]) => {
      outcomes.push(...jobs.map((job) => ({ id: job.id, status: 'retry' as const, error: 'The database connection was lost while the certificate was being committed' })));
    };
    try {
      const result = await write(now, rendered, failed);
      const lost = await notKept(result);
      if (lost === null) uncertain(items.map((i) => i.job));
      else if (lost.length) throw new Error(`The database did not keep the commit of ${lost.length} certificate(s)`);
      else settle(result);
    } catch (batchError) {
      // Nothing of the batch was written. Store its certificates one by one, so one that the
      // database refuses does not hold back the others; that one is retried.
      strapi.log.warn(
        `[certify] storing a batch of ${items.length} certificates failed, storing them one by one: ${(batchError as Error).message}`,
        jobLogFields(items.map((i) => i.job))
      );
      try {
        settle(await write(now, [], failed));
      } catch (err) {
        await giveBack([], failed.map((f) => f.job), err as Error);
      }
      for (const item of rendered) {
        try {
          const result = await write(now, [item], []);
          const lost = await notKept(result);
          if (lost === null) uncertain([item.job]);
          else if (lost.length) throw new Error('The database did not keep the commit of this certificate');
          else settle(result);
        } catch (err) {
          strapi.log.error(`[certify] storing certificate of bib ${item.record.bib}: ${(err as Error).stack}`, jobLogFields([item.job]));
          await giveBack([item], [item.job], err as Error);
        }
      }
    }

    // 3. After the commit: uploads nobody uses, listeners, emails.
    await discard(superseded);
    const followUps: FollowUp[] = [];
    for (const { item, pdf, corrected, created } of published) {
      media().announce(created as Parameters<ReturnType<typeof media>['announce']>[0]);
      const { record, job, key } = item;
      runs.emit(WEBHOOK_EVENTS.certificatePublished, {
        eventId,
        record: { documentId: record.documentId, bib: record.bib, name: record.name, verificationCode: record.verificationCode },
        corrected,
        pdfUrl: pdf.url,
      });
      const run = job.run ? runById.get(job.run) : null;
      // PDFs first: the share images of these certificates follow in a second pass.
      followUps.push({ run: job.run, recordId: record.documentId, version: key, image: !item.image, email: Boolean(run?.options?.email && record.email) });
    }
    await queueFollowUps(strapi, eventId, followUps);
    return outcomes;
  };
};
