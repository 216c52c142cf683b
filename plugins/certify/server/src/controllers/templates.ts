import type { Core } from '@strapi/strapi';
import { fontFileParams, previewRequest, savedPreviewQuery, templateInput, templateParams, templateUpdate } from '../../../shared/contracts/templates';
import type { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors';
import { certifyError, getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';

const send = (ctx: RequestContext, out: { type: string; body: Buffer }) => {
  ctx.set('Cache-Control', 'no-store');
  ctx.type = out.type;
  ctx.body = out.body;
};

const templates = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'templates');
  /** The event and the template id of a `/templates/:id` route. */
  const target = (ctx: RequestContext) => ({ eventId: routeEvent(ctx).documentId, id: parseOrThrow(templateParams, ctx.params).id });

  /** Image/PDF bytes, or (format `text`) what the canvas shows as JSON. */
  const answerPreview = async (ctx: RequestContext, eventId: string, id: string, body: z.output<typeof previewRequest>) => {
    if (body.format === 'text') {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: await service().texts(eventId, id, body) };
      return;
    }
    send(ctx, await service().preview(eventId, id, body));
  };

  return {
    async list(ctx: RequestContext) {
      ctx.body = { data: await service().list(routeEvent(ctx).documentId) };
    },
    async findOne(ctx: RequestContext) {
      const { eventId, id } = target(ctx);
      ctx.body = { data: await service().findOne(eventId, id) };
    },
    async create(ctx: RequestContext) {
      const input = parseOrThrow(templateInput, ctx.request.body);
      ctx.status = 201;
      ctx.body = { data: await service().create(routeEvent(ctx).documentId, input) };
    },
    async update(ctx: RequestContext) {
      const { eventId, id } = target(ctx);
      ctx.body = { data: await service().update(eventId, id, parseOrThrow(templateUpdate, ctx.request.body)) };
    },
    async delete(ctx: RequestContext) {
      const { eventId, id } = target(ctx);
      ctx.body = { data: await service().delete(eventId, id) };
    },
    /** A draft (body `template`) laid over the saved template, or the saved one: needs design. */
    async preview(ctx: RequestContext) {
      const { eventId, id } = target(ctx);
      await answerPreview(ctx, eventId, id, parseOrThrow(previewRequest, ctx.request.body ?? {}));
    },

    /** The saved template as it is: needs read only (the certificate tab's thumbnails, a read-only canvas). */
    async previewSaved(ctx: RequestContext) {
      const { eventId, id } = target(ctx);
      await answerPreview(ctx, eventId, id, parseOrThrow(savedPreviewQuery, ctx.query));
    },

    /** Public: a built-in font file, for the designer canvas's @font-face rules (see render `texts`). */
    async fontFile(ctx: RequestContext) {
      const { pkg, file } = parseOrThrow(fontFileParams, ctx.params);
      const body = getService(strapi, 'render').fontFile(pkg, file);
      if (!body) throw certifyError.notFound(ERROR_CODES.fontNotFound, `font file ${pkg}/${file} does not exist`);
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.type = 'font/woff2';
      ctx.body = body;
    },
    async fonts(ctx: RequestContext) {
      ctx.body = { data: await getService(strapi, 'render').fonts() };
    },
  };
};

export default templates;
