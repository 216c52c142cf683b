import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const renderer = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default renderer;
