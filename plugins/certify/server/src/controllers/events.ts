import type { Core } from '@strapi/strapi';
import { loadEventStats } from '../services/render/derived';
import { eventListQuery } from '../../../shared/contracts/events';
import { getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';

const events = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: RequestContext) {
    ctx.body = await getService(strapi, 'events').list(parseOrThrow(eventListQuery, ctx.query));
  },

  async findOne(ctx: RequestContext) {
    const event = routeEvent(ctx);
    const [setup, stats] = await Promise.all([getService(strapi, 'setup').state(event.documentId), loadEventStats(strapi, event.documentId)]);
    ctx.body = { data: { ...event, setup, stats } };
  },

  async setupState(ctx: RequestContext) {
    ctx.body = { data: await getService(strapi, 'setup').state(routeEvent(ctx).documentId) };
  },
});

export default events;
