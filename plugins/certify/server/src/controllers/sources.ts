import type { Core } from '@strapi/strapi';
import { itemParams } from '../../../shared/contracts/common';
import { sourceInput, sourcePatch } from '../../../shared/contracts/sources';
import { getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';

const eventId = (ctx: RequestContext): string => routeEvent(ctx).documentId;
const sourceId = (ctx: RequestContext): string => parseOrThrow(itemParams, ctx.params).id;

const sources = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'sources');
  return {
    async list(ctx: RequestContext) {
      ctx.body = { data: await service().list(eventId(ctx)) };
    },
    async create(ctx: RequestContext) {
      const input = parseOrThrow(sourceInput, ctx.request.body);
      ctx.status = 201;
      ctx.body = { data: await service().create(eventId(ctx), input) };
    },
    async update(ctx: RequestContext) {
      ctx.body = { data: await service().update(eventId(ctx), sourceId(ctx), parseOrThrow(sourcePatch, ctx.request.body)) };
    },
    async remove(ctx: RequestContext) {
      ctx.body = { data: await service().remove(eventId(ctx), sourceId(ctx)) };
    },
    async rotateToken(ctx: RequestContext) {
      ctx.body = { data: await service().rotateToken(eventId(ctx), sourceId(ctx)) };
    },
    async sync(ctx: RequestContext) {
      ctx.body = { data: await getService(strapi, 'feeds').sync(eventId(ctx), sourceId(ctx)) };
    },
  };
};

export default sources;
