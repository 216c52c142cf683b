import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { certifyError, getService } from '../utils';
import { formatOf } from '../services/import/parse';

/** Timing partners push CSV or JSON with their source's token; the push is imported and committed at once. */
const proxy = ({ strapi }: { strapi: Core.Strapi }) => ({
  async push(ctx: any) {
    // Authenticated by the push body reader before the body was read (or here, without it).
    const source = ctx.state.certifyPushSource ?? (await getService(strapi, 'sources').authenticatePush(ctx.params.sourceId, ctx.get('authorization')));
    if (!source) {
      // Answered here: Strapi's error middleware replaces any UnauthorizedError message with "Unauthorized".
      ctx.status = 401;
      ctx.body = {
        data: null,
        error: {
          status: 401,
          name: 'UnauthorizedError',
          message: 'Unknown source or wrong token: use the token shown when the source was created or last rotated (Authorization: Bearer <token>).',
          details: {},
        },
      };
      return;
    }
    await getService(strapi, 'events').requireEnabled(source.event);
    let buffer: Buffer | undefined = ctx.state.certifyPushBody;
    let type: string = ctx.state.certifyPushType ?? ctx.get('content-type');
    if (!buffer) {
      // Only when the push-body reader is not installed: fall back to what strapi::body parsed.
      const body = ctx.request.body;
      buffer = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''), 'utf8');
      type = typeof body === 'string' ? type : 'application/json';
    }
    if (/multipart\//i.test(type)) {
      throw certifyError.validation(
        'Send the CSV or JSON as the raw request body (Content-Type: text/csv or application/json), not as a multipart form.'
      );
    }
    const at = new Date();
    try {
      const result = await getService(strapi, 'import').importNow(source.event, { buffer, source: source as any, format: formatOf(type) });
      await strapi.db.query(UID.source).update({
        where: { id: source.id },
        data: { lastSyncAt: at, lastSyncStatus: { at: at.toISOString(), ok: true, outcome: 'imported', counts: result.counts } } as any,
      });
      ctx.body = { data: { counts: result.counts, invalid: result.invalid, warnings: result.warnings, stale: result.stale } };
    } catch (err) {
      await strapi.db.query(UID.source).update({
        where: { id: source.id },
        data: { lastSyncAt: at, lastSyncStatus: { at: at.toISOString(), ok: false, outcome: 'failed', message: (err as Error).message } } as any,
      });
      throw err;
    }
  },
});

export default proxy;
