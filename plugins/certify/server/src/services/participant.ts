import type { Core } from '@strapi/strapi';

/** Placeholder: filled in by its issue. */
const participant = ({ strapi }: { strapi: Core.Strapi }) => ({
  strapi,
});

export default participant;
