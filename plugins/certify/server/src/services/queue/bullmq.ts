import type { Core } from '@strapi/strapi';
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';

/**
 * BullMQ carries batches of job ids; the jobs themselves (and their leases) stay in the database,
 * so progress, idempotency and take-over work the same as with the local driver. A batch whose
 * jobs are still leased by another live worker is retried later by BullMQ's backoff.
 */
export const queueName = () => process.env.CERTIFY_QUEUE_NAME || 'certify-render';

export function createBullQueue(redisUrl: string) {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName(), { connection });
  return {
    async add(ids: number[]) {
      await queue.add(
        'batch',
        { ids },
        { attempts: 25, backoff: { type: 'fixed', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 }
      );
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
  processIds: (ids: number[]) => Promise<{ pending: number }>
) {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
    queueName(),
    async (job: Job<{ ids: number[] }>) => {
      const { pending } = await processIds(job.data.ids);
      if (pending > 0) throw new Error(`${pending} job(s) of this batch are held by another worker; retrying later`);
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
