import type { Core } from '@strapi/strapi';
import { eventListQuery } from '../../../shared/contracts/events';
import { ACTION_IDS } from '../../../shared/permissions';
import { getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';

const events = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: RequestContext) {
    const query = parseOrThrow(eventListQuery, ctx.query);
    // The picker lists only the events the admin may read (their organisations', unless unrestricted).
    const scope = await getService(strapi, 'access').scope(ctx.state, [ACTION_IDS.read]);
    ctx.body = await getService(strapi, 'events').list(query, scope);
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
