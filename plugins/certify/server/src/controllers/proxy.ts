import type { Core } from '@strapi/strapi';
import { pushParams } from '../../../shared/contracts/sources';
import { certifyError, getService, parseOrThrow, replyError } from '../utils';
import type { RequestContext } from '../utils/context';
import { formatOf } from '../services/import/parse';

/** Timing partners push CSV or JSON with their source's token; the push is imported and committed at once. */
const proxy = ({ strapi }: { strapi: Core.Strapi }) => ({
  async push(ctx: RequestContext) {
    const { sourceId } = parseOrThrow(pushParams, ctx.params);
    const sources = getService(strapi, 'sources');
    // Authenticated by the push body reader before the body was read (or here, without it).
    const source = ctx.state.certifyPushSource ?? (await sources.authenticatePush(sourceId, ctx.get('authorization')));
    if (!source) {
      // Answered here: Strapi's error middleware replaces every UnauthorizedError message with "Unauthorized".
      replyError(
        ctx,
        401,
        'UnauthorizedError',
        'Unknown source or wrong token: use the token shown when the source was created or last rotated (Authorization: Bearer <token>).'
      );
      return;
    }
    await getService(strapi, 'events').requireEnabled(source.event);
    let buffer = ctx.state.certifyPushBody;
    let type = ctx.state.certifyPushType ?? ctx.get('content-type');
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
      const result = await getService(strapi, 'import').importNow(source.event, { buffer, source, format: formatOf(type) });
      await sources.recordSync(source.id, at, { at: at.toISOString(), ok: true, outcome: 'imported', counts: result.counts });
      ctx.body = { data: { counts: result.counts, invalid: result.invalid, warnings: result.warnings, stale: result.stale } };
    } catch (err) {
      await sources.recordSync(source.id, at, { at: at.toISOString(), ok: false, outcome: 'failed', message: (err as Error).message });
      throw err;
    }
  },
});

export default proxy;
