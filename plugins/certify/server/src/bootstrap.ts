import type { Core } from '@strapi/strapi';
import services from './services';
import { PLUGIN_ID } from './constants';

type Lifecycle = { bootstrap?: () => Promise<void> | void; destroy?: () => Promise<void> | void };

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  for (const name of Object.keys(services)) {
    const service = strapi.plugin(PLUGIN_ID).service(name) as Lifecycle;
    if (typeof service.bootstrap === 'function') await service.bootstrap();
  }
};

export default bootstrap;
