import type { Core } from '@strapi/strapi';
import { UID, TABLE } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import type { PublishRequest, RunProgress } from '../../../../shared/contracts/publish';
import { certifyError, getService } from '../../utils';
import { countByStatus, openJobsOf } from '../queue/jobs';
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

/** A run still `queued` this long after it started lost the server that was adding its jobs. */
const ABANDONED_START_MS = 10 * 60_000;

type Knex = Core.Strapi['db']['connection'];

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
    // Subscribers (webhooks) run asynchronously: one that fails (say, the database went away) is
    // logged, not left as an unhandled rejection that would end the process.
    const failed = (err: unknown) => strapi.log.warn(`[certify] emitting ${event} failed: ${(err as Error).message}`);
    try {
      Promise.resolve(strapi.eventHub.emit(event, payload)).catch(failed);
    } catch (err) {
      failed(err);
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

  /**
   * Closes a run once none of its jobs is open; only one caller wins. The check and the close are
   * one statement (`NOT EXISTS` an open job), so a job settled or queued meanwhile is never missed;
   * on PostgreSQL the run's row is locked first, so the statement sees every job committed before,
   * and a starter that queued jobs into the run and then touches it (see `start`) either comes
   * first or finds the run closed. A run still being prepared (`queued`) is left alone.
   */
  const maybeFinish = async (runDocumentId: string) => {
    const run = await byDocumentId(runDocumentId);
    if (!run || !['running', 'cancelling'].includes(run.status)) return;
    // Read first: idle workers ask often, and a write (even one that changes nothing) takes
    // SQLite's write lock from everyone else.
    if ((await queue().openJobs(runDocumentId)) > 0) return;
    const status = run.status === 'cancelling' ? 'cancelled' : 'finished';
    const now = new Date();
    const close = (knex: Knex) =>
      knex(TABLE.publishRun)
        .where({ id: run.id, status: run.status })
        .whereNotExists(openJobsOf(knex, runDocumentId))
        .update({ status, active_key: null, finished_at: now, updated_at: now });
    const changed =
      strapi.db.dialect.client === 'postgres'
        ? await strapi.db.connection.transaction(async (trx) => {
            await trx(TABLE.publishRun).where({ id: run.id }).forUpdate().first('id');
            return close(trx);
          })
        : await close(strapi.db.connection);
    if (!changed) return;
    const p = await progress({ ...run, status, finishedAt: now });
    await strapi.db.connection(TABLE.publishRun).where({ id: run.id }).update({ done: p.done, failed: p.failed, total: p.total });
    emit(WEBHOOK_EVENTS.runFinished, { run: p, eventId: run.event });
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
      // `queued` while its jobs are being added: no idle worker may close it as "nothing to do".
      run = await strapi.db.query(UID.publishRun).create({
        data: { event: eventId, status: 'queued', activeKey: eventId, trigger: opts.trigger ?? 'manual', options, startedAt: new Date() },
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
    // The jobs are in: open the run for finishing. This write to the run's row is also the check
    // that the run was still active while they went in; a run closed meanwhile (a joined run whose
    // last job settled just then) would hold jobs it no longer counts, so the start is made again:
    // the next run takes those jobs over (insertJobs moves open jobs of the same versions).
    const opened = await strapi.db
      .connection(TABLE.publishRun)
      .where({ id: active.id })
      .whereNotNull('active_key')
      .update({ status: strapi.db.connection.raw("CASE WHEN status = 'queued' THEN 'running' ELSE status END"), updated_at: new Date() });
    if (!opened) {
      const closed = await strapi.db.query(UID.publishRun).findOne({ where: { id: active.id } });
      if (closed?.status === 'finished' && rows.length) return start(eventId, opts);
    }
    if (!joined) emit(WEBHOOK_EVENTS.runStarted, { run: await progress({ ...active, status: 'running' }), eventId });
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

  /**
   * Closes runs whose jobs are all settled (after a crash, or a run with nothing to do). A run left
   * `queued` by a server that died while adding its jobs is opened once it is clearly abandoned.
   */
  const finishIdle = async () => {
    const active = await strapi.db.query(UID.publishRun).findMany({ where: { activeKey: { $notNull: true } }, select: ['id', 'documentId', 'status', 'startedAt'] });
    for (const run of active) {
      const abandoned = run.status === 'queued' && run.startedAt && new Date(run.startedAt).getTime() < Date.now() - ABANDONED_START_MS;
      if (abandoned) await strapi.db.connection(TABLE.publishRun).where({ id: run.id, status: 'queued' }).update({ status: 'running', updated_at: new Date() });
      await maybeFinish(run.documentId);
    }
  };

  /** The runs of these jobs' runs, by document id (to see which were cancelled, and their options). */
  const load = async (runIds: string[]) => {
    const list = runIds.length ? await strapi.db.query(UID.publishRun).findMany({ where: { documentId: { $in: runIds } } }) : [];
    return new Map<string, AnyRecord>(list.map((r: AnyRecord) => [r.documentId, r]));
  };

  return { emit, progress, maybeFinish, publishedOnce, start, cancel, current, finishIdle, load, byDocumentId };
};

export type Runs = ReturnType<typeof runs>;
