import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const templates = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    ctx.body = { data: await getService(strapi, 'templates').list(ctx.state.certifyEvent.documentId) };
  },
  async findOne(ctx: any) {
    ctx.body = { data: await getService(strapi, 'templates').findOne(ctx.state.certifyEvent.documentId, ctx.params.id) };
  },
  async create(ctx: any) {
    ctx.status = 201;
    ctx.body = {
      data: await getService(strapi, 'templates').create(ctx.state.certifyEvent.documentId, ctx.request.body),
    };
  },
  async update(ctx: any) {
    ctx.body = {
      data: await getService(strapi, 'templates').update(ctx.state.certifyEvent.documentId, ctx.params.id, ctx.request.body),
    };
  },
  async delete(ctx: any) {
    ctx.body = { data: await getService(strapi, 'templates').delete(ctx.state.certifyEvent.documentId, ctx.params.id) };
  },
  async preview(ctx: any) {
    const out = await getService(strapi, 'templates').preview(ctx.state.certifyEvent.documentId, ctx.params.id, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = out.type;
    ctx.body = out.body;
  },
  async fonts(ctx: any) {
    ctx.body = { data: await getService(strapi, 'render').fonts() };
  },
});

export default templates;
