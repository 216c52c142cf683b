import type { Core } from '@strapi/strapi';
import { orphanSweepRequest } from '../../../shared/contracts/orphans';
import { getService, parseOrThrow } from '../utils';
import type { RequestContext } from '../utils/context';

/** Upkeep an operator triggers by hand; the workers also do it on their own schedule. */
const maintenance = ({ strapi }: { strapi: Core.Strapi }) => ({
  async orphanSweep(ctx: RequestContext) {
    const { olderThanMinutes } = parseOrThrow(orphanSweepRequest, ctx.request.body ?? {});
    ctx.body = { data: await getService(strapi, 'orphans').sweep(olderThanMinutes ? { graceMs: olderThanMinutes * 60_000 } : {}) };
  },
});

export default maintenance;
