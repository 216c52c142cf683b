import type { StrapiApp } from '@strapi/strapi/admin';

/**
 * The admin panel's interface languages besides English: each admin user picks theirs under
 * Profile → Interface language, and Certify's texts follow (plugins/certify/admin/src/translations).
 */
export default {
  config: {
    locales: ['de', 'fr'],
  },
  bootstrap(_app: StrapiApp) {},
};
