import type { Core } from '@strapi/strapi';
import { eventListQuery } from '../../../shared/contracts/events';
import { getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';

const events = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: RequestContext) {
    ctx.body = await getService(strapi, 'events').list(parseOrThrow(eventListQuery, ctx.query));
  },

  async findOne(ctx: RequestContext) {
    const event = routeEvent(ctx);
    ctx.body = { data: { ...event, setup: await getService(strapi, 'setup').state(event.documentId) } };
  },

  async setupState(ctx: RequestContext) {
    ctx.body = { data: await getService(strapi, 'setup').state(routeEvent(ctx).documentId) };
  },
});

export default events;
