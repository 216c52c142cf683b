import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const sources = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    ctx.body = { data: await getService(strapi, 'sources').list(ctx.state.certifyEvent.documentId) };
  },
  async create(ctx: any) {
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'sources').create(ctx.state.certifyEvent.documentId, ctx.request.body) };
  },
});

export default sources;
