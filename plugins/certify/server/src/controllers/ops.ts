import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import type { Answer } from '../services/health';
import type { RequestContext } from '../utils/context';

const reply = (ctx: RequestContext, answer: Answer) => {
  ctx.status = answer.status;
  ctx.set({ 'Cache-Control': 'no-store', ...answer.headers });
  ctx.body = answer.body;
};

/** Health and metrics for orchestrators and Prometheus; the worker's own server gives the same answers. */
const ops = ({ strapi }: { strapi: Core.Strapi }) => ({
  live(ctx: RequestContext) {
    reply(ctx, getService(strapi, 'health').live());
  },

  async ready(ctx: RequestContext) {
    reply(ctx, await getService(strapi, 'health').ready());
  },

  async metrics(ctx: RequestContext) {
    reply(ctx, await getService(strapi, 'metrics').scrape(ctx.get('authorization') || undefined));
  },
});

export default ops;
