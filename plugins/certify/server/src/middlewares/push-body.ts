import type { Core } from '@strapi/strapi';
import { getConfig, getService, replyError } from '../utils';

/**
 * Checks the source token of a proxy push (POST /api/certify/sources/:id/push) before a byte of
 * the body is read (a wrong token costs the server nothing), then reads the raw body before
 * strapi::body does: koa-body would decode a text/csv body as UTF-8 (mangling Windows-1252 files) and caps
 * text at 56 kB and JSON at 1 MB, far below a results file. Registered in the plugin's register()
 * because only middlewares added then run before the configured stack. Other requests pass through.
 */
export const registerPushBodyReader = (strapi: Core.Strapi) => {
  const prefix = String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/$/, '');
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pushPath = new RegExp(`^${escaped}/certify/sources/([^/]+)/push/?$`);

  strapi.server.use(async (ctx, next) => {
    const match = ctx.method === 'POST' ? pushPath.exec(ctx.path) : null;
    if (!match) return next();
    const { maxBytes } = getConfig(strapi).import;
    const refuse = (status: number, message: string) =>
      replyError(ctx, status, status === 413 ? 'PayloadTooLargeError' : 'UnauthorizedError', message, { maxBytes });
    // Without a token there is nothing to read for.
    if (!/^Bearer\s+\S+$/i.test(ctx.get('authorization'))) {
      refuse(401, 'Send the source token as "Authorization: Bearer <token>" (shown when the source was created or its token rotated).');
      return;
    }
    const source = await getService(strapi, 'sources').authenticatePush(decodeURIComponent(match[1]), ctx.get('authorization'));
    if (!source) {
      // Closing the connection spares reading (and discarding) whatever the client still sends.
      ctx.set('Connection', 'close');
      refuse(401, 'Unknown source or wrong token: use the token shown when the source was created or last rotated (Authorization: Bearer <token>).');
      return;
    }
    ctx.state.certifyPushSource = source;
    const tooBig = `The body is over the import limit of ${(maxBytes / 1048576).toFixed(1)} MB: push smaller files.`;
    if (Number(ctx.get('content-length')) > maxBytes) {
      refuse(413, tooBig);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        refuse(413, tooBig);
        return;
      }
      chunks.push(chunk);
    }
    ctx.state.certifyPushBody = Buffer.concat(chunks);
    ctx.state.certifyPushType = ctx.get('content-type');
    // The stream is drained: keep strapi::body from waiting on it.
    ctx.req.headers['content-type'] = 'application/octet-stream';
    return next();
  });
};

/**
 * The admin's import route (`POST /certify/events/:eventId/imports`): a results file, uploaded or
 * sent as JSON, has one limit, `certify.import.maxBytes`. A body announced larger is refused before
 * it is read, and a body the app's parser refused (its own JSON or upload limit) is answered with
 * the limit and what to do, not a bare 413.
 */
export const registerImportBodyLimit = (strapi: Core.Strapi) => {
  const importPath = /^\/certify\/events\/[^/]+\/imports\/?$/;
  // A multipart form carries its file plus a few headers and fields.
  const FORM_SLACK = 64 * 1024;
  strapi.server.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || !importPath.test(ctx.path)) return next();
    const { maxBytes } = getConfig(strapi).import;
    const refuse = () =>
      replyError(
        ctx,
        413,
        'PayloadTooLargeError',
        `The results file is over the import limit of ${(maxBytes / 1048576).toFixed(1)} MB (uploaded or sent as JSON): split it into smaller files.`,
        { code: 'CERTIFY_VALIDATION', limit: 'import.maxBytes', maxBytes }
      );
    if (Number(ctx.get('content-length')) > maxBytes + FORM_SLACK) {
      ctx.set('Connection', 'close');
      refuse();
      return;
    }
    await next();
    if (ctx.status === 413) refuse();
  });
};

