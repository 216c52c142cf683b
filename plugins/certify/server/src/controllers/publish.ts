import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils';

/** Placeholder until the publisher lands: the summary is the setup state's counts. */
const publish = ({ strapi }: { strapi: Core.Strapi }) => ({
  async summary(ctx: any) {
    ctx.body = { data: await getService(strapi, 'setup').state(ctx.state.certifyEvent.documentId) };
  },
  async start() {
    throw new errors.NotImplementedError('Publishing is not available yet.');
  },
});

export default publish;
