import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const participant = ({ strapi }: { strapi: Core.Strapi }) => ({
  async status(ctx: any) {
    const event = ctx.state.certifyEvent;
    const state = await getService(strapi, 'setup').state(event.documentId);
    ctx.body = { data: { event: { name: event.name, slug: event.slug }, published: state.counts.published } };
  },
});

export default participant;
