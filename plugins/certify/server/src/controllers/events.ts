import type { Core } from '@strapi/strapi';
import { loadEventStats } from '../services/render/derived';
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
    const [setup, stats] = await Promise.all([getService(strapi, 'setup').state(event.documentId), loadEventStats(strapi, event.documentId)]);
    ctx.body = { data: { ...event, setup, stats } };
  },

  async setupState(ctx: RequestContext) {
    ctx.body = { data: await getService(strapi, 'setup').state(routeEvent(ctx).documentId) };
  },
});

export default events;
