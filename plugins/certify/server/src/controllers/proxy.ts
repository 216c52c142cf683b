import type { Core } from '@strapi/strapi';

/** Placeholder: timing partners push results here (issue: data sources and records). */
const proxy = ({ strapi }: { strapi: Core.Strapi }) => ({ strapi });

export default proxy;
