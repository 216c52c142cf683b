import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const queue = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default queue;
