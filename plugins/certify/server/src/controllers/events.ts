import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const events = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    const { search, page, pageSize } = ctx.query ?? {};
    ctx.body = await getService(strapi, 'events').list({ search, page, pageSize });
  },

  async findOne(ctx: any) {
    const event = ctx.state.certifyEvent;
    ctx.body = { data: { ...event, setup: await getService(strapi, 'setup').state(event.documentId) } };
  },

  async setupState(ctx: any) {
    ctx.body = { data: await getService(strapi, 'setup').state(ctx.state.certifyEvent.documentId) };
  },
});

export default events;
