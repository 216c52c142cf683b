import type { Core } from '@strapi/strapi';
import { UID, TABLE } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import type { PublishRequest, RunProgress } from '../../../../shared/contracts/publish';
import { certifyError, getService } from '../../utils';
import { countByStatus } from '../queue/jobs';
import type { Classifier } from './classify';

type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rows of the run table as read

export const WEBHOOK_EVENTS = {
  runStarted: 'certify.run.started',
  runFinished: 'certify.run.finished',
  certificatePublished: 'certify.certificate.published',
} as const;

const isUniqueViolation = (err: unknown) => {
  const e = err as { message?: string; code?: string } | null;
  return /unique|duplicate/i.test(String(e?.message ?? '')) || e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/** `live`: a few fresh results or corrections, rendered ahead of bulk work (queue `enqueue`). */
export type StartOptions = PublishRequest & { trigger?: string; recordIds?: string[]; live?: boolean };

/**
 * A publish run's life: one run per event at a time (the unique `active_key` is the guard), its
 * jobs handed to the queue, its progress read from the job table, and its end once no job of it
 * is open. Webhooks tell integrators when a run starts and ends.
 */
export const runs = (strapi: Core.Strapi, classifier: Classifier) => {
  const queue = () => getService(strapi, 'queue');

  const emit = (event: string, payload: AnyRecord) => {
    try {
      strapi.eventHub.emit(event, payload);
    } catch (err) {
      strapi.log.warn(`[certify] emitting ${event} failed: ${(err as Error).message}`);
    }
  };

  const findActive = (eventId: string) => strapi.db.query(UID.publishRun).findOne({ where: { activeKey: eventId } });
  const byDocumentId = (documentId: string) => strapi.db.query(UID.publishRun).findOne({ where: { documentId } });

  const progress = async (run: AnyRecord): Promise<RunProgress> => {
    // Jobs are read here, never written: the queue owns their state.
    const count = await countByStatus(strapi, run.documentId);
    const total = count('render');
    const done = count('render', 'done');
    const failed = count('render', 'failed');
    const remaining = count('render', 'queued', 'running');
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
      emails: { queued: count('email', 'queued', 'running'), sent: count('email', 'done'), failed: count('email', 'failed') },
      images: { queued: count('image', 'queued', 'running'), done: count('image', 'done'), failed: count('image', 'failed') },
      startedAt: run.startedAt ? new Date(run.startedAt).toISOString() : null,
      finishedAt: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
    };
  };

  /** Closes a run once none of its jobs is waiting; only one caller wins (conditional update). */
  const maybeFinish = async (runDocumentId: string) => {
    if ((await queue().openJobs(runDocumentId)) > 0) return;
    const run = await byDocumentId(runDocumentId);
    if (!run || !['running', 'cancelling'].includes(run.status)) return;
    const p = await progress(run);
    const status = run.status === 'cancelling' ? 'cancelled' : 'finished';
    const changed = await strapi.db
      .connection(TABLE.publishRun)
      .where({ id: run.id, status: run.status })
      .update({ status, active_key: null, finished_at: new Date(), done: p.done, failed: p.failed, total: p.total, updated_at: new Date() });
    if (changed) emit(WEBHOOK_EVENTS.runFinished, { run: { ...p, status }, eventId: run.event });
  };

  const publishedOnce = async (eventId: string) => (await strapi.db.query(UID.publishRun).count({ where: { event: eventId } })) > 0;

  /**
   * Starts a run for the event's new and stale records, or joins the one in progress. Of two
   * concurrent requests exactly one inserts the active run, the other joins it.
   */
  const start = async (eventId: string, opts: StartOptions = {}): Promise<{ run: RunProgress; joined: boolean }> => {
    const options = { email: Boolean(opts.email), emailSubject: opts.emailSubject, emailBody: opts.emailBody, attach: opts.attach !== false };
    let run: AnyRecord | null = null;
    let joined = false;
    try {
      run = await strapi.db.query(UID.publishRun).create({
        data: { event: eventId, status: 'running', activeKey: eventId, trigger: opts.trigger ?? 'manual', options, startedAt: new Date() },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      run = await findActive(eventId);
      // The active run finished between our insert and this read: try once more.
      if (!run) return start(eventId, opts);
      joined = true;
      if (opts.email && !run.options?.email && opts.trigger !== 'auto') {
        throw certifyError.conflict(
          ERROR_CODES.runInProgress,
          'A publish run without email is in progress for this event. Wait for it to finish (or cancel it), then publish again with email.',
          { runId: run.documentId }
        );
      }
    }
    const active = run!;
    // Workers on several machines must find one folder, not race to create their own.
    if (!joined) {
      const event = await getService(strapi, 'events').find(eventId);
      await getService(strapi, 'media').eventFolder(eventId, event?.slug ?? event?.name);
    }
    const rows = await classifier.stale(eventId, opts.recordIds);
    await queue().enqueue(
      active.documentId,
      eventId,
      'render',
      rows.map((r) => ({ recordId: r.record.documentId, version: r.key! })),
      { live: opts.live }
    );
    const fresh = rows.filter((r) => r.state === 'new').map((r) => r.record.documentId);
    for (let i = 0; i < fresh.length; i += 500) {
      await strapi.db.connection(TABLE.record).whereIn('document_id', fresh.slice(i, i + 500)).where('status', 'pending').update({ status: 'queued' });
    }
    if (!joined) emit(WEBHOOK_EVENTS.runStarted, { run: await progress(active), eventId });
    await maybeFinish(active.documentId);
    const now = await strapi.db.query(UID.publishRun).findOne({ where: { id: active.id } });
    return { run: await progress(now ?? active), joined };
  };

  const cancel = async (eventId: string, runDocumentId: string): Promise<RunProgress> => {
    const run = await strapi.db.query(UID.publishRun).findOne({ where: { documentId: runDocumentId, event: eventId } });
    if (!run) throw certifyError.notFound(ERROR_CODES.runNotFound, `Publish run "${runDocumentId}" was not found for this event.`);
    if (['running', 'queued'].includes(run.status)) {
      await strapi.db.connection(TABLE.publishRun).where({ id: run.id }).whereIn('status', ['running', 'queued']).update({ status: 'cancelling' });
      await queue().cancelRun(run.documentId);
      await maybeFinish(run.documentId);
    }
    return progress((await strapi.db.query(UID.publishRun).findOne({ where: { id: run.id } }))!);
  };

  const current = async (eventId: string): Promise<RunProgress | null> => {
    const run = (await findActive(eventId)) ?? (await strapi.db.query(UID.publishRun).findOne({ where: { event: eventId }, orderBy: { id: 'desc' } }));
    return run ? progress(run) : null;
  };

  /** Closes runs whose jobs are all done (after a crash, or a run with nothing to do). */
  const finishIdle = async () => {
    const active = await strapi.db.query(UID.publishRun).findMany({ where: { activeKey: { $notNull: true } }, select: ['documentId'] });
    for (const run of active) await maybeFinish(run.documentId);
  };

  /** The runs of these jobs' runs, by document id (to see which were cancelled, and their options). */
  const load = async (runIds: string[]) => {
    const list = runIds.length ? await strapi.db.query(UID.publishRun).findMany({ where: { documentId: { $in: runIds } } }) : [];
    return new Map<string, AnyRecord>(list.map((r: AnyRecord) => [r.documentId, r]));
  };

  return { emit, progress, maybeFinish, publishedOnce, start, cancel, current, finishIdle, load, byDocumentId };
};

export type Runs = ReturnType<typeof runs>;
