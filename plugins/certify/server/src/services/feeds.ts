import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const feeds = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default feeds;
