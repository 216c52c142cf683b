import type { Core } from '@strapi/strapi';

const bootstrap = async (_ctx: { strapi: Core.Strapi }) => {};

export default bootstrap;
