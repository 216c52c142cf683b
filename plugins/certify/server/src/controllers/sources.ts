import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const eventId = (ctx: any): string => ctx.state.certifyEvent.documentId;

const sources = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    ctx.body = { data: await getService(strapi, 'sources').list(eventId(ctx)) };
  },
  async create(ctx: any) {
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'sources').create(eventId(ctx), ctx.request.body) };
  },
  async update(ctx: any) {
    ctx.body = { data: await getService(strapi, 'sources').update(eventId(ctx), ctx.params.id, ctx.request.body) };
  },
  async remove(ctx: any) {
    ctx.body = { data: await getService(strapi, 'sources').remove(eventId(ctx), ctx.params.id) };
  },
  async rotateToken(ctx: any) {
    ctx.body = { data: await getService(strapi, 'sources').rotateToken(eventId(ctx), ctx.params.id) };
  },
  async sync(ctx: any) {
    ctx.body = { data: await getService(strapi, 'feeds').sync(eventId(ctx), ctx.params.id) };
  },
});

export default sources;
