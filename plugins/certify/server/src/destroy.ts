import type { Core } from '@strapi/strapi';

const destroy = async (_ctx: { strapi: Core.Strapi }) => {};

export default destroy;
