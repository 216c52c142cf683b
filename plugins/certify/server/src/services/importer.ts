import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const importer = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default importer;
