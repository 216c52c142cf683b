import type { Core } from '@strapi/strapi';
import services from './services';
import { PLUGIN_ID } from './constants';

type Lifecycle = { destroy?: () => Promise<void> | void };

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  // Readiness answers 503 first: the HTTP server still answers while the queue finishes its batches.
  strapi.plugin(PLUGIN_ID).service('health').beginShutdown();
  for (const name of Object.keys(services).reverse()) {
    const service = strapi.plugin(PLUGIN_ID).service(name) as Lifecycle;
    if (typeof service.destroy !== 'function') continue;
    try {
      await service.destroy();
    } catch (err) {
      strapi.log.warn(`[certify] ${name}.destroy failed: ${(err as Error).message}`);
    }
  }
};

export default destroy;
