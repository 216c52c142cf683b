import type { Core } from '@strapi/strapi';
import os from 'node:os';
import crypto from 'node:crypto';
import { getConfig, getService } from '../../utils';
import { TABLE } from '../../constants';
import { claimJobs, extendLease, insertJobs, newToken, type JobRow } from './jobs';
import { createBullQueue, createBullWorker } from './bullmq';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Work queue of renders and emails. Driver `local`: jobs in the database, worked by a loop in
 * this process (and any `npm run worker` sharing the database). Driver `bullmq`: the same jobs,
 * announced on Redis and worked by `npm run worker` processes on any machine.
 *
 * Environment knobs (tests, deployments): CERTIFY_QUEUE_IN_PROCESS=false keeps the Strapi server
 * from working the local queue itself; CERTIFY_QUEUE_LEASE_MS sets how long a claim lasts before
 * another worker may take it over.
 */
const queue = ({ strapi }: { strapi: Core.Strapi }) => {
  const workerId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  let running = false;
  let loop: Promise<void> | null = null;
  const sleepers = new Set<() => void>();
  let bull: ReturnType<typeof createBullQueue> | null = null;
  let bullWorker: ReturnType<typeof createBullWorker> | null = null;
  const leaseMs = () => Number(process.env.CERTIFY_QUEUE_LEASE_MS) || 60_000;
  const cfg = () => getConfig(strapi);
  const driver = () => (process.env.CERTIFY_QUEUE || cfg().queue.driver) as 'local' | 'bullmq';

  /** Claims (some of) the given jobs, works them, and says how many are still unfinished. */
  const workClaimed = async (jobs: JobRow[], token: string) => {
    const timer = setInterval(() => {
      extendLease(strapi, token, leaseMs()).catch(() => undefined);
    }, Math.max(500, leaseMs() / 3));
    try {
      await getService(strapi, 'publish').work(jobs, token);
    } finally {
      clearInterval(timer);
    }
  };

  const tick = async (limit: number, ids?: number[]) => {
    const token = newToken(workerId);
    const jobs = await claimJobs(strapi, token, limit, leaseMs(), ids);
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

  const runLane = async () => {
    const batch = cfg().render.batchSize;
    while (running) {
      let n = 0;
      try {
        n = await tick(batch);
        if (n === 0) await getService(strapi, 'publish').finishIdleRuns();
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

  return {
    workerId,
    driver,

    /** Adds jobs for a run and tells the workers. Returns the ids of the run's new/queued jobs. */
    async enqueue(runId: string | null, eventId: string, kind: 'render' | 'email', entries: Array<{ recordId: string; version: string }>) {
      if (!entries.length) return [];
      const ids = await insertJobs(strapi, runId, eventId, kind, entries);
      if (driver() === 'bullmq') {
        bull ??= createBullQueue(cfg().queue.redisUrl);
        const size = cfg().render.batchSize;
        for (let i = 0; i < ids.length; i += size) await bull.add(ids.slice(i, i + size));
      }
      this.wake();
      return ids;
    },

    wake() {
      for (const wake of [...sleepers]) wake();
    },

    /** Works the queue in this process until stopWorker(): the local loop, or a BullMQ worker. */
    startWorker({ driver: which = driver() }: { driver?: 'local' | 'bullmq' } = {}) {
      if (which === 'bullmq') {
        if (bullWorker) return;
        bullWorker = createBullWorker(strapi, cfg().queue.redisUrl, lanes(), async (ids) => {
          await tick(ids.length, ids);
          const pending = await strapi.db
            .connection(TABLE.renderJob)
            .whereIn('id', ids)
            .whereIn('status', ['queued', 'running'])
            .count<{ n: number }[]>({ n: '*' });
          return { pending: Number(pending[0]?.n ?? 0) };
        });
        return;
      }
      if (running) return;
      running = true;
      loop = Promise.all(Array.from({ length: lanes() }, () => runLane())).then(() => undefined);
    },

    async stopWorker() {
      running = false;
      this.wake();
      if (loop) await loop;
      loop = null;
      if (bullWorker) await bullWorker.close();
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
      await getService(strapi, 'publish').finishIdleRuns();
      return total;
    },

    bootstrap() {
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
