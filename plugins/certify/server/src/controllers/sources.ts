import type { Core } from '@strapi/strapi';
import { sourceInput, sourcePatch } from '../../../shared/contracts/sources';
import { getService } from '../utils';
import { eventItemActions, type RequestContext } from '../utils/context';

const sources = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'sources');
  const { eventId, itemId: sourceId, actions } = eventItemActions(service, { input: sourceInput, patch: sourcePatch });
  return {
    ...actions,
    async list(ctx: RequestContext) {
      ctx.body = { data: await service().list(eventId(ctx)) };
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
