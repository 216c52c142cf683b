import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const delivery = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default delivery;
