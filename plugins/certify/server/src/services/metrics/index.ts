import type { Core } from '@strapi/strapi';
import crypto from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TABLE } from '../../constants';
import { getConfig } from '../../utils';
import type { Answer } from '../health';
import type { JobOutcome, JobRow } from '../queue';

/** Batch durations: a batch of 50 renders in ~0.5–3 s here and stores in ~0.1–1 s. */
const BATCH_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const KINDS = ['render', 'email'] as const;
/** Open and failed jobs; done and cancelled rows only grow and say nothing about the backlog. */
const DEPTH_STATUSES = ['queued', 'delayed', 'running', 'failed'] as const;

const sameSecret = (given: string, expected: string) => {
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
};

/**
 * Prometheus metrics of this process (prom-client, a registry of its own). Counters and
 * histograms count what this process did: scrape every web and worker process. The queue depth is
 * read from `certify_jobs` at each scrape, so any one process reports it for the whole deployment.
 */
const metrics = ({ strapi }: { strapi: Core.Strapi }) => {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const rendered = new Counter({ name: 'certify_certificates_rendered_total', help: 'Certificates rendered by Chromium in this process', registers });
  const failed = new Counter({
    name: 'certify_certificates_failed_total',
    help: 'Render jobs that ended failed (template error, or every attempt used up)',
    registers,
  });
  const retried = new Counter({ name: 'certify_jobs_retried_total', help: 'Job attempts that failed and were given back for a retry', labelNames: ['kind'], registers });
  const emailsSent = new Counter({ name: 'certify_emails_sent_total', help: 'Certificate emails handed to the mail server', registers });
  const emailsFailed = new Counter({
    name: 'certify_emails_failed_total',
    help: 'Certificate emails that failed (status "failed") or were refused by the mail server ("bounced")',
    labelNames: ['status'],
    registers,
  });
  const renderSeconds = new Histogram({
    name: 'certify_render_batch_seconds',
    help: 'Time to render one batch of certificates (PDF, share image, thumbnail)',
    buckets: BATCH_SECONDS,
    registers,
  });
  const storeSeconds = new Histogram({
    name: 'certify_store_batch_seconds',
    help: 'Time to store one rendered batch (files to the provider, one database transaction)',
    buckets: BATCH_SECONDS,
    registers,
  });
  new Gauge({
    name: 'certify_queue_jobs',
    help: 'Jobs in certify_jobs by kind and status (queued: due now; delayed: waiting for a retry)',
    labelNames: ['kind', 'status'],
    registers,
    async collect() {
      const knex = strapi.db.connection;
      const now = new Date();
      const counts = new Map<string, number>();
      const add = (kind: string, status: string, n: number | string) => counts.set(`${kind}|${status}`, (counts.get(`${kind}|${status}`) ?? 0) + Number(n));
      try {
        const byStatus: Array<{ kind: string; status: string; n: number | string }> = await knex(TABLE.job)
          .whereIn('status', ['queued', 'running', 'failed'])
          .select('kind', 'status')
          .count({ n: '*' })
          .groupBy('kind', 'status');
        const delayed: Array<{ kind: string; n: number | string }> = await knex(TABLE.job)
          .where('status', 'queued')
          .where('run_at', '>', now)
          .select('kind')
          .count({ n: '*' })
          .groupBy('kind');
        for (const r of byStatus) add(r.kind, r.status, r.n);
        for (const r of delayed) {
          add(r.kind, 'delayed', r.n);
          add(r.kind, 'queued', -Number(r.n));
        }
      } catch (err) {
        // The other metrics are still worth a scrape; a missing depth shows as a gap.
        strapi.log.warn(`[certify] metrics: reading the queue depth failed: ${(err as Error).message}`);
        this.reset();
        return;
      }
      for (const kind of KINDS) for (const status of DEPTH_STATUSES) this.set({ kind, status }, counts.get(`${kind}|${status}`) ?? 0);
    },
  });

  return {
    registry,

    /** Where publish/work.ts measures a batch: the renderer's time and the certificates it produced. */
    observeRender(ms: number, certificates: number) {
      renderSeconds.observe(ms / 1000);
      rendered.inc(certificates);
    },

    observeStore(ms: number) {
      storeSeconds.observe(ms / 1000);
    },

    /** The queue reports what it recorded for a claim. */
    jobsSettled(jobs: JobRow[], outcomes: JobOutcome[]) {
      const kindOf = new Map(jobs.map((j) => [j.id, j.kind]));
      for (const o of outcomes) {
        const kind = kindOf.get(o.id) ?? 'render';
        if (o.status === 'retry') retried.inc({ kind });
        else if (o.status === 'failed' && kind === 'render') failed.inc();
      }
    },

    emailSettled(status: 'sent' | 'failed' | 'bounced') {
      if (status === 'sent') emailsSent.inc();
      else emailsFailed.inc({ status });
    },

    /** The scrape, for `Authorization: Bearer <certify.metrics.token>`; 404 while no token is set. */
    async scrape(authorization: string | undefined): Promise<Answer> {
      const token = getConfig(strapi).metrics.token;
      if (!token) return { status: 404, body: { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } } };
      const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
      if (!given || !sameSecret(given, token)) {
        return {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="certify-metrics"' },
          body: { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Send the metrics token as "Authorization: Bearer <token>".', details: {} } },
        };
      }
      return { status: 200, headers: { 'Content-Type': registry.contentType }, body: await registry.metrics() };
    },
  };
};

export type MetricsService = ReturnType<typeof metrics>;
export default metrics;
