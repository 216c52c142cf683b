import type { Core } from '@strapi/strapi';
import os from 'node:os';
import crypto from 'node:crypto';
import { getConfig, getService } from '../../utils';
import { jobLogFields } from '../../utils/log';
import {
  cancelQueued,
  claimJobs,
  countOpen,
  dueJobs,
  extendLease,
  insertJobs,
  newToken,
  recordOutcomes,
  type ClaimLane,
  releaseClaims,
  type JobKind,
  type JobOutcome,
  type JobRow,
} from './jobs';
import { createBullQueue, createBullWorker } from './bullmq';

export type { JobKind, JobOutcome, JobRow };

/** Works the claimed jobs of one kind. It reports an outcome per job and writes no job state. */
export interface JobHandler {
  work(jobs: JobRow[]): Promise<JobOutcome[]>;
  /** Jobs whose last attempt failed: the handler records what that means for their record. */
  gaveUp?(jobs: Array<{ job: JobRow; message: string }>): Promise<void>;
}

/** Told after jobs of these runs were settled (`runIds`), or when the queue found nothing to do. */
export type SettledListener = (runIds: string[] | 'idle') => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The queue of renders and emails, and the one writer of job state: handlers (the publisher for
 * `render`, delivery for `email`) register with it, work what it hands them and return outcomes,
 * which it records; a failed attempt is retried after an exponential backoff with jitter, and a
 * job that used every attempt is failed and handed back to its handler's `gaveUp`.
 *
 * Driver `local`: jobs in the database, worked by a loop in this process (and any `npm run worker`
 * sharing the database). Driver `bullmq`: the same jobs, announced on Redis and worked by
 * `npm run worker` processes on any machine; the database stays the truth, and a reconciler
 * announces again what Redis lost (a restart or a flush).
 *
 * Environment knobs (tests, deployments): CERTIFY_QUEUE_IN_PROCESS=false keeps the Strapi server
 * from working the local queue itself; CERTIFY_QUEUE_LEASE_MS sets how long a claim lasts before
 * another worker may take it over.
 */
const queue = ({ strapi }: { strapi: Core.Strapi }) => {
  const workerId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const handlers = new Map<JobKind, JobHandler>();
  const listeners: SettledListener[] = [];
  let running = false;
  let loop: Promise<void> | null = null;
  const sleepers = new Set<() => void>();
  let bull: ReturnType<typeof createBullQueue> | null = null;
  let bullWorker: ReturnType<typeof createBullWorker> | null = null;
  let reconciler: NodeJS.Timeout | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  const leaseMs = () => Number(process.env.CERTIFY_QUEUE_LEASE_MS) || 60_000;
  const cfg = () => getConfig(strapi);
  const driver = () => (process.env.CERTIFY_QUEUE || cfg().queue.driver) as 'local' | 'bullmq';
  const bullQueue = () => (bull ??= createBullQueue(cfg().queue.redisUrl));

  /** Exponential backoff with jitter: base × 2^(attempt − 1), capped, then 50–100% of that. */
  const backoffMs = (attempts: number) => {
    const { baseMs, maxMs } = cfg().queue.retry;
    const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(full * (0.5 + Math.random() * 0.5));
  };

  const settle = async (runIds: string[] | 'idle') => {
    for (const listener of listeners) {
      try {
        await listener(runIds);
      } catch (err) {
        strapi.log.warn(`[certify] queue: a settled listener failed: ${(err as Error).message}`);
      }
    }
  };

  /** Works claimed jobs through their handlers and records every outcome. */
  const workClaimed = async (jobs: JobRow[], token: string) => {
    const timer = setInterval(() => {
      extendLease(strapi, token, leaseMs()).catch(() => undefined);
    }, Math.max(500, leaseMs() / 3));
    const outcomes: JobOutcome[] = [];
    try {
      const { attempts: maxAttempts } = cfg().queue.retry;
      const byKind = new Map<JobKind, { live: JobRow[]; spent: Array<{ job: JobRow; message: string }> }>();
      for (const job of jobs) {
        const group = byKind.get(job.kind) ?? { live: [], spent: [] };
        if (job.attempts > maxAttempts) {
          group.spent.push({ job, message: `Gave up after ${maxAttempts} attempts${job.last_error ? `: ${job.last_error}` : ''}` });
        } else group.live.push(job);
        byKind.set(job.kind, group);
      }
      for (const [kind, { live, spent }] of byKind) {
        const handler = handlers.get(kind);
        if (spent.length) {
          await handler?.gaveUp?.(spent);
          outcomes.push(...spent.map(({ job, message }) => ({ id: job.id, status: 'failed' as const, error: message })));
        }
        if (!live.length) continue;
        let reported: JobOutcome[];
        try {
          if (!handler) throw new Error(`No worker handles "${kind}" jobs in this process`);
          reported = await handler.work(live);
        } catch (err) {
          // A whole-batch failure (Chromium died, the database went away) is retried later.
          strapi.log.warn(`[certify] queue: ${live.length} ${kind} job(s) failed and will be retried: ${(err as Error).message}`, { kind, ...jobLogFields(live) });
          reported = live.map((job) => ({ id: job.id, status: 'retry' as const, error: (err as Error).message }));
        }
        const seen = new Set(reported.map((o) => o.id));
        outcomes.push(...reported, ...live.filter((j) => !seen.has(j.id)).map((j) => ({ id: j.id, status: 'retry' as const, error: 'The worker reported no outcome' })));
      }
    } finally {
      clearInterval(timer);
    }
    const attemptsOf = new Map(jobs.map((j) => [j.id, j.attempts]));
    const retried = await recordOutcomes(strapi.db.connection, token, outcomes, (id) => backoffMs(attemptsOf.get(id) ?? 1));
    getService(strapi, 'metrics').jobsSettled(jobs, outcomes);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length) {
      const ids = new Set(failed.map((o) => o.id));
      strapi.log.warn(`[certify] queue: ${failed.length} job(s) failed for good: ${failed[0].error ?? 'no reason given'}`, jobLogFields(jobs.filter((j) => ids.has(j.id))));
    }
    if (retried.length && driver() === 'bullmq') {
      for (const { id, runAt } of retried) await bullQueue().add([id], { delayMs: Math.max(0, runAt.getTime() - Date.now()), attempts: attemptsOf.get(id) ?? 0 });
    }
    await settle([...new Set(jobs.map((j) => j.run).filter((r): r is string => Boolean(r)))]);
  };

  /** Live jobs (fresh results, corrections) are claimed ahead of bulk work, unless switched off. */
  const liveEnabled = () => cfg().queue.live.enabled;

  const tick = async (limit: number, ids?: number[], lane: ClaimLane = 'liveFirst') => {
    const token = newToken(workerId);
    const jobs = await claimJobs(strapi, token, limit, leaseMs(), ids, ids || !liveEnabled() ? 'bulk' : lane);
    if (jobs.length) await workClaimed(jobs, token);
    return jobs.length;
  };

  /**
   * Batches worked at once in this process. Each lane claims one render batch, renders it and
   * stores it; with one lane more than Chromium has pages, every page renders while a finished
   * batch is being stored (the store runs on this thread, the render in Chromium).
   */
  const lanes = () => {
    const { queue: q, render } = cfg();
    return q.concurrency > 0 ? q.concurrency : Math.max(1, render.pages) + 1;
  };

  /** Until when live work is going on in this process (the live lane worked or was given some). */
  let liveUntil = 0;
  let liveWorking = false;
  const LIVE_QUIET_MS = 3000;
  const liveGoingOn = () => liveWorking || Date.now() < liveUntil;

  /**
   * One lane of the local loop. The `live` lane claims only live jobs: with every other lane busy
   * on bulk batches, a pushed result still starts at once (woken by its enqueue), and the results
   * that arrived while it rendered make its next batch (a batch as big as the queue, up to two
   * render batches, not tiny ones on every lane). While live work goes on, only the first bulk
   * lane keeps claiming bulk work: the others wait, leaving the cores to the live results. The
   * bulk lanes (`bulkFirst`) help with live work when they have no other.
   */
  const runLane = async (lane: ClaimLane, index = 0) => {
    const batch = cfg().render.batchSize;
    while (running) {
      let n = 0;
      if (lane !== 'live' && index > 0 && liveGoingOn()) {
        await sleep(250);
        continue;
      }
      try {
        if (lane === 'live') liveWorking = true;
        // While live work goes on, the bulk lane that keeps going claims small batches: it holds
        // Chromium and the CPU for a fifth as long at a time, so live results wait less for it.
        const size = lane === 'live' ? batch * 2 : liveGoingOn() ? Math.max(1, Math.ceil(batch / 5)) : batch;
        n = await tick(size, undefined, lane).finally(() => {
          if (lane === 'live') liveWorking = false;
        });
        if (n > 0 && lane === 'live') liveUntil = Date.now() + LIVE_QUIET_MS;
        if (n === 0 && lane !== 'live') await settle('idle');
      } catch (err) {
        strapi.log.error(`[certify] queue: ${(err as Error).stack ?? err}`);
        await sleep(1000);
      }
      if (n === 0 && running) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            sleepers.delete(wake);
            resolve();
          };
          const t = setTimeout(wake, 1000);
          sleepers.add(wake);
        });
      }
    }
  };

  /**
   * The database is the truth: due jobs that no batch in Redis carries (Redis restarted or
   * flushed, or a batch lost on the way) are announced again, whatever else Redis still holds.
   * Announcing twice is harmless: a worker claims only what is claimable.
   */
  const reconcile = async () => {
    const held = await bullQueue().heldIds(2000);
    if (!held) return 0;
    const due = (await dueJobs(strapi, 5000)).filter((j) => !held.has(j.id));
    const size = cfg().render.batchSize;
    for (let i = 0; i < due.length; i += size) await bullQueue().add(due.slice(i, i + size).map((j) => j.id));
    if (due.length) strapi.log.info(`[certify] queue: announced ${due.length} job(s) again that Redis did not hold`);
    else if (!held.size) await settle('idle');
    return due.length;
  };

  return {
    workerId,
    driver,

    /** The publisher and delivery register here, each for its kind of job. */
    handle(kind: JobKind, handler: JobHandler) {
      handlers.set(kind, handler);
    },

    onSettled(listener: SettledListener) {
      listeners.push(listener);
    },

    /**
     * Adds jobs for a run and tells the workers. Returns the ids of the run's new/queued jobs.
     * `live`: a few fresh results or corrections, worked ahead of bulk work.
     */
    async enqueue(
      runId: string | null,
      eventId: string,
      kind: JobKind,
      entries: Array<{ recordId: string; version: string }>,
      { live = false }: { live?: boolean } = {}
    ) {
      if (!entries.length) return [];
      const urgent = live && liveEnabled();
      if (urgent) liveUntil = Date.now() + LIVE_QUIET_MS;
      const ids = await insertJobs(strapi, runId, eventId, kind, entries, urgent ? 1 : 0);
      if (driver() === 'bullmq') {
        const size = cfg().render.batchSize;
        for (let i = 0; i < ids.length; i += size) await bullQueue().add(ids.slice(i, i + size), { live: urgent });
      }
      this.wake();
      return ids;
    },

    /** Cancels a run's jobs that have not started. */
    async cancelRun(runId: string) {
      await cancelQueued(strapi, runId);
    },

    /** How many of a run's jobs are not finished. */
    openJobs(runId: string) {
      return countOpen(strapi, { run: runId });
    },

    wake() {
      for (const wake of [...sleepers]) wake();
    },

    reconcile,

    /**
     * Works the queue in this process until stopWorker(): the local loop, or a BullMQ worker.
     * A working process also sweeps orphaned files: at start (what a crash left) and every
     * `sweep.everyMs`.
     */
    startWorker({ driver: which = driver() }: { driver?: 'local' | 'bullmq' } = {}) {
      if (!sweeper) {
        const sweep = () => {
          getService(strapi, 'orphans')
            .sweep()
            .catch((err) => strapi.log.warn(`[certify] orphan sweep failed: ${(err as Error).message}`));
        };
        const every = cfg().sweep.everyMs;
        sweeper = setTimeout(function again() {
          sweep();
          if (every > 0) sweeper = setTimeout(again, every).unref();
        }, 0).unref();
      }
      if (which === 'bullmq') {
        if (bullWorker) return;
        bullWorker = createBullWorker(strapi, cfg().queue.redisUrl, lanes(), async (ids) => {
          await tick(ids.length, ids);
          // Jobs of this batch that another live worker still holds: BullMQ retries the batch later.
          return { held: await countOpen(strapi, { ids, running: true }) };
        });
        const every = cfg().queue.reconcileMs;
        if (every > 0) {
          reconciler = setInterval(() => {
            reconcile().catch((err) => strapi.log.warn(`[certify] queue: reconciling failed: ${(err as Error).message}`));
          }, every);
          reconciler.unref();
        }
        return;
      }
      if (running) return;
      running = true;
      const all = [...Array.from({ length: lanes() }, (_, i) => runLane('bulkFirst', i)), ...(liveEnabled() ? [runLane('live')] : [])];
      loop = Promise.all(all).then(() => undefined);
    },

    /**
     * Stops working: no new claims; the batches in hand are finished for up to `deadlineMs`
     * (config `queue.shutdownMs`), then whatever this process still holds is handed back (queued
     * again for other workers, the attempt not counted). Files a batch cut short had already
     * stored are removed by the orphan sweep.
     */
    async stopWorker({ deadlineMs = cfg().queue.shutdownMs }: { deadlineMs?: number } = {}) {
      if (!loop && !bullWorker) return;
      running = false;
      this.wake();
      if (reconciler) clearInterval(reconciler);
      reconciler = null;
      if (sweeper) clearTimeout(sweeper);
      sweeper = null;
      const closing = [loop, bullWorker?.close()].filter(Boolean);
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(closing).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), Math.max(0, deadlineMs));
        }),
      ]);
      clearTimeout(timer);
      if (finished) strapi.log.info('[certify] queue: stopped; the batches in hand were finished');
      if (!finished) {
        const ids = await releaseClaims(strapi, workerId);
        strapi.log.warn(`[certify] queue: stopping; ${ids.length} job(s) not finished within ${deadlineMs} ms handed back`);
        if (ids.length && driver() === 'bullmq') {
          const size = cfg().render.batchSize;
          for (let i = 0; i < ids.length; i += size) await bullQueue().add(ids.slice(i, i + size));
        }
        await bullWorker?.worker.close(true).catch(() => undefined);
      }
      loop = null;
      bullWorker = null;
    },

    /** Works whatever is claimable now, in this process (used by tests and the benchmark). */
    async drain() {
      let total = 0;
      const lane = async () => {
        for (;;) {
          const n = await tick(cfg().render.batchSize);
          if (!n) break;
          total += n;
        }
      };
      await Promise.all(Array.from({ length: lanes() }, lane));
      await settle('idle');
      return total;
    },

    async bootstrap() {
      // With Redis in the set-up, a Redis that would evict jobs stops the app at start.
      if (driver() === 'bullmq') await bullQueue().ready();
      if (driver() === 'local' && process.env.CERTIFY_QUEUE_IN_PROCESS !== 'false') this.startWorker({ driver: 'local' });
    },

    async destroy() {
      await this.stopWorker();
      if (bull) await bull.close();
      bull = null;
    },
  };
};

export type QueueService = ReturnType<typeof queue>;
export default queue;
