import type { Core } from '@strapi/strapi';
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import IORedis from 'ioredis';
import { chromium } from 'playwright-core';
import { getConfig, getService } from '../../utils';
import { withoutServerPaths } from '../../utils/redact';
import { findChromium, LAUNCH_ARGS } from '../render/chromium';
import { serveHealth } from './server';

/** An HTTP answer independent of the server that sends it (Strapi's Koa, or the worker's own). */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const CHECKS = ['database', 'redis', 'chromium', 'storage'] as const;
export type CheckName = (typeof CHECKS)[number];
export type CheckResult = { status: 'ok'; ms: number } | { status: 'skipped'; reason: string } | { status: 'failed'; ms: number; error: string };

/**
 * Liveness (the process answers) and readiness (what working needs answers: the database, Redis
 * with the bullmq driver, a launchable Chromium, writable storage), for the Strapi server's routes
 * and the worker's own small HTTP server (`CERTIFY_WORKER_HEALTH_PORT`).
 */
const health = ({ strapi }: { strapi: Core.Strapi }) => {
  const cfg = () => getConfig(strapi);
  let redis: IORedis | null = null;
  let launchCheck: { at: number; verdict: Promise<string | null>; settled: { error: string | null } | null } | null = null;
  let server: Server | null = null;
  let shuttingDown = false;

  const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };

  /** Resolves with a reason when the check does not apply here; throws when it fails. */
  const checks: Record<CheckName, () => Promise<string | void>> = {
    async database() {
      await strapi.db.connection.raw('select 1');
    },

    async redis() {
      if (getService(strapi, 'queue').driver() !== 'bullmq') return 'the local queue driver keeps jobs in the database';
      if (!redis) {
        // No offline queue: while Redis is away a ping fails at once instead of waiting.
        redis = new IORedis(cfg().queue.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3000 });
        redis.on('error', () => undefined); // reported by the next check, not as an unhandled event
      }
      if (redis.status === 'wait') await redis.connect();
      await redis.ping();
    },

    /**
     * A running pool proves Chromium launches. Otherwise a launch check, trusted for
     * `health.chromiumCheckMs`; once that has passed, the last verdict answers while a new check
     * runs, so a probe never waits for a browser to start except the very first.
     */
    async chromium() {
      const executablePath = findChromium(cfg().chromiumPath);
      if (getService(strapi, 'render').engine().pool.isRunning) return;
      const previous = launchCheck;
      if (!previous || Date.now() - previous.at > cfg().health.chromiumCheckMs) {
        const verdict = chromium
          .launch({ executablePath, args: LAUNCH_ARGS, headless: true, timeout: 60_000 })
          .then((browser) => browser.close())
          .then(
            () => null,
            (err: Error) => `Chromium at ${executablePath} did not start: ${err.message.split('\n')[0]}`
          );
        launchCheck = { at: Date.now(), verdict, settled: null };
        verdict.then((error) => {
          if (launchCheck?.verdict === verdict) launchCheck.settled = { error };
        });
      }
      const known = previous?.settled ?? launchCheck!.settled;
      const error = known ? known.error : await launchCheck!.verdict;
      if (error) throw new Error(error);
    },

    /** A small file written and deleted through the configured upload provider (local disk or S3). */
    async storage() {
      const provider = strapi.plugin('upload').provider;
      const body = Buffer.from('certify readiness check\n');
      const file: Record<string, unknown> = {
        name: 'certify-readiness.txt',
        hash: `certify-readiness-${crypto.randomBytes(8).toString('hex')}`,
        ext: '.txt',
        mime: 'text/plain',
        size: body.length / 1024,
        buffer: body,
      };
      if (typeof provider.upload === 'function') await provider.upload(file);
      else await provider.uploadStream({ ...file, stream: Readable.from(body) });
      await provider.delete(file);
    },
  };

  const run = async (name: CheckName): Promise<CheckResult> => {
    const started = Date.now();
    try {
      const skipped = await withTimeout(checks[name](), cfg().health.timeoutMs);
      return skipped ? { status: 'skipped', reason: skipped } : { status: 'ok', ms: Date.now() - started };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { status: 'failed', ms: Date.now() - started, error: withoutServerPaths(message) };
    }
  };

  return {
    live(): Answer {
      return { status: 200, body: { status: 'live', uptimeSeconds: Math.round(process.uptime()) } };
    },

    /**
     * From the moment the process starts stopping (SIGTERM), readiness answers 503 so a load
     * balancer stops sending work while the batches in hand are finished.
     */
    beginShutdown() {
      shuttingDown = true;
    },

    /** 200 when every check that applies passes; 503 naming the checks that failed and why. */
    async ready(): Promise<Answer> {
      if (shuttingDown) return { status: 503, body: { status: 'shutting down', failed: [], checks: {} } };
      const results = await Promise.all(CHECKS.map(run));
      const checksByName = Object.fromEntries(CHECKS.map((name, i) => [name, results[i]])) as Record<CheckName, CheckResult>;
      const failed = CHECKS.filter((name) => checksByName[name].status === 'failed');
      return { status: failed.length ? 503 : 200, body: { status: failed.length ? 'unavailable' : 'ready', failed, checks: checksByName } };
    },

    /** The worker's health server (the certify-worker bin, CERTIFY_WORKER_HEALTH_PORT). */
    async listen(port: number, host = '0.0.0.0') {
      server ??= await serveHealth(strapi, port, host);
      return server;
    },

    async destroy() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      redis?.disconnect();
      redis = null;
    },
  };
};

export type HealthService = ReturnType<typeof health>;
export default health;
