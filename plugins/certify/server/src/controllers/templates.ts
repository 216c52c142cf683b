import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const templates = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    ctx.body = { data: await getService(strapi, 'templates').list(ctx.state.certifyEvent.documentId) };
  },
  async create(ctx: any) {
    ctx.status = 201;
    ctx.body = {
      data: await getService(strapi, 'templates').create(ctx.state.certifyEvent.documentId, ctx.request.body),
    };
  },
});

export default templates;
