import type { Core } from '@strapi/strapi';
import { previewRequest, savedPreviewQuery, templateInput, templateParams, templateUpdate } from '../../../shared/contracts/templates';
import { getService, parseOrThrow } from '../utils';
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
      send(ctx, await service().preview(eventId, id, parseOrThrow(previewRequest, ctx.request.body ?? {})));
    },

    /** The saved template as it is: needs read only (the certificate tab's thumbnails). */
    async previewSaved(ctx: RequestContext) {
      const { eventId, id } = target(ctx);
      send(ctx, await service().preview(eventId, id, parseOrThrow(savedPreviewQuery, ctx.query)));
    },
    async fonts(ctx: RequestContext) {
      ctx.body = { data: await getService(strapi, 'render').fonts() };
    },
  };
};

export default templates;
