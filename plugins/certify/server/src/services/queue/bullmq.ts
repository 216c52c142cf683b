import type { Core } from '@strapi/strapi';
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';

/**
 * BullMQ carries batches of job ids; the jobs themselves (their state, attempts and leases) stay
 * in the database, so progress, idempotency and take-over work the same as with the local driver.
 * A batch whose jobs are still leased by another live worker is retried later by BullMQ's backoff;
 * a job the queue retries after a backoff is announced again with that delay.
 */
export const queueName = () => process.env.CERTIFY_QUEUE_NAME || 'certify-render';

/** Redis must keep every job: an evicting memory policy silently loses queued work. */
async function checkMemoryPolicy(connection: IORedis, redisUrl: string) {
  const reply = (await connection.config('GET', 'maxmemory-policy').catch(() => null)) as string[] | null;
  const policy = reply?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(
      `Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//')} has maxmemory-policy "${policy}", which evicts queued jobs. ` +
        'Set it to "noeviction" (redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf) or use a Redis instance of its own for Certify.'
    );
  }
}

export function createBullQueue(redisUrl: string) {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName(), { connection });
  const checked = checkMemoryPolicy(connection, redisUrl);
  return {
    /** Resolves once Redis is known to keep jobs; rejects with what to change otherwise. */
    ready: () => checked,
    /**
     * Announces a batch. BullMQ works lower priority numbers first: a live batch (a pushed result,
     * a correction) is 1, bulk work 10, so a worker's next batch is the live one.
     */
    async add(ids: number[], opts: { delayMs?: number; attempts?: number; live?: boolean } = {}) {
      await checked;
      await queue.add(
        'batch',
        { ids },
        {
          attempts: 25,
          backoff: { type: 'fixed', delay: 2000 },
          removeOnComplete: 1000,
          removeOnFail: 1000,
          priority: opts.live ? 1 : 10,
          ...(opts.delayMs ? { delay: opts.delayMs } : {}),
          // A retried job is announced once per attempt, however many workers record it.
          ...(opts.attempts !== undefined && ids.length === 1 ? { jobId: `retry-${ids[0]}-${opts.attempts}` } : {}),
        }
      );
    },
    /**
     * The database job ids Redis holds in any batch not yet completed, or null when it holds more
     * batches than `limit` (a busy queue: reading them all every few seconds would cost more than
     * the rare lost batch that waits until it drains).
     */
    async heldIds(limit: number): Promise<Set<number> | null> {
      await checked;
      const states = ['waiting', 'delayed', 'active', 'prioritized', 'paused'] as const;
      const counts = await queue.getJobCounts(...states);
      if (Object.values(counts).reduce((s, n) => s + n, 0) > limit) return null;
      const jobs = await queue.getJobs([...states], 0, -1);
      return new Set(jobs.flatMap((job) => (job?.data?.ids ?? []) as number[]));
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

export function createBullWorker(
  strapi: Core.Strapi,
  redisUrl: string,
  concurrency: number,
  processIds: (ids: number[]) => Promise<{ held: number }>
) {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const checked = checkMemoryPolicy(connection, redisUrl);
  const worker = new Worker(
    queueName(),
    async (job: Job<{ ids: number[] }>) => {
      await checked;
      const { held } = await processIds(job.data.ids);
      if (held > 0) throw new Error(`${held} job(s) of this batch are held by another worker; retrying later`);
    },
    { connection, concurrency, lockDuration: 60_000, stalledInterval: 15_000 }
  );
  worker.on('error', (err) => strapi.log.warn(`[certify] bullmq worker: ${err.message}`));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
