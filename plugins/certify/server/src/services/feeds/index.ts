import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { SyncStatus } from '../../../../shared/contracts/sources';
import type { SourceRow } from '../../types';
import { UID } from '../../constants';
import { certifyError, getConfig, getService } from '../../utils';
import { formatOf } from '../import/parse';
import { fetchFeed, FeedError } from './fetch';

const TICK_MS = 60_000;

/**
 * Feed sources: a CSV or JSON URL pulled on a schedule (a timer started in bootstrap) and on
 * demand. Conditional requests (ETag / Last-Modified) make an unchanged feed cost one 304.
 */
const feeds = ({ strapi }: { strapi: Core.Strapi }) => {
  let timer: NodeJS.Timeout | null = null;
  const running = new Set<string>();

  const record = async (
    sourceId: number,
    data: { lastSyncAt: Date; lastSyncStatus: SyncStatus; feedEtag?: string | null; feedLastModified?: string | null }
  ) => {
    await strapi.db.query(UID.source).update({ where: { id: sourceId }, data });
  };

  return {
    /** Pull one feed source now (admin "sync"). Fails with the reason when the pull fails. */
    async sync(eventId: string, documentId: string): Promise<SyncStatus> {
      const source = await getService(strapi, 'sources').find(eventId, documentId);
      if (source.kind !== 'feed') {
        throw certifyError.validation(`Source "${source.name}" is a ${source.kind} source: only feed sources can be synced.`);
      }
      const status = await this.pull(source.documentId);
      if (!status.ok) throw certifyError.validation(status.message ?? 'The feed could not be imported.', { sync: status });
      return status;
    },

    /** Fetch and import one feed; records the outcome on the source. Never throws for feed trouble. */
    async pull(documentId: string): Promise<SyncStatus> {
      if (running.has(documentId)) {
        return { at: new Date().toISOString(), ok: false, outcome: 'failed', message: 'A pull of this feed is already running.' };
      }
      running.add(documentId);
      try {
        const source: SourceRow | null = await strapi.db.query(UID.source).findOne({ where: { documentId } });
        if (!source?.event) throw new FeedError(`Source "${documentId}" no longer exists.`);
        const eventId = source.event;
        const cfg = getConfig(strapi).feed;
        const at = new Date();
        let status: SyncStatus;
        try {
          const res = await fetchFeed(String(source.settings?.url ?? ''), {
            etag: source.feedEtag,
            lastModified: source.feedLastModified,
            timeoutMs: cfg.timeoutMs,
            maxBytes: cfg.maxBytes,
            allowPrivateAddresses: cfg.allowPrivateAddresses,
          });
          if (res.status === 304) {
            status = { at: at.toISOString(), ok: true, outcome: 'not-modified' };
            await record(source.id, { lastSyncAt: at, lastSyncStatus: status });
            return status;
          }
          const result = await getService(strapi, 'import').importNow(eventId, {
            buffer: res.body,
            source,
            format: formatOf(res.contentType, source.settings?.format),
          });
          status = { at: at.toISOString(), ok: true, outcome: 'imported', counts: result.counts };
          // Validators are stored only once the content is imported, so a failed import is retried.
          await record(source.id, {
            lastSyncAt: at,
            lastSyncStatus: status,
            feedEtag: res.etag,
            feedLastModified: res.lastModified,
          });
          return status;
        } catch (err) {
          const message = (err as Error).message;
          status = { at: at.toISOString(), ok: false, outcome: 'failed', message };
          await record(source.id, { lastSyncAt: at, lastSyncStatus: status });
          if (!(err instanceof FeedError) && !(err instanceof errors.ApplicationError)) strapi.log.error(`[certify] feed ${documentId}: ${message}`);
          return status;
        }
      } finally {
        running.delete(documentId);
      }
    },

    /** Pulls every feed whose interval has passed, for events whose plan includes Certify. */
    async tick() {
      const defaultInterval = getConfig(strapi).feed.intervalMinutes;
      const list: SourceRow[] = await strapi.db.query(UID.source).findMany({ where: { kind: 'feed' } });
      const now = Date.now();
      for (const source of list) {
        const minutes = Number(source.settings?.intervalMinutes ?? defaultInterval);
        if (!minutes) continue;
        const last = source.lastSyncAt ? new Date(source.lastSyncAt).getTime() : 0;
        if (now - last < minutes * 60_000 || !source.event) continue;
        const events = getService(strapi, 'events');
        const event = await events.find(source.event);
        if (!event || events.lockReason(event)) continue;
        await this.pull(source.documentId);
      }
    },

    bootstrap() {
      timer = setInterval(() => {
        this.tick().catch((err: Error) => strapi.log.error(`[certify] feed schedule: ${err.message}`));
      }, TICK_MS);
      timer.unref();
    },

    destroy() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
};

export type FeedsService = ReturnType<typeof feeds>;
export default feeds;
