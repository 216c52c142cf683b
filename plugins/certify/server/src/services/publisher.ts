import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const publisher = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default publisher;
