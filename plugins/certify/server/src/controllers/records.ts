import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const records = ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: any) {
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'records').create(ctx.state.certifyEvent.documentId, ctx.request.body) };
  },
});

export default records;
