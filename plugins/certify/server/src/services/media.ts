import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const media = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default media;
