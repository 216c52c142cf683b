export { PLUGIN_ID, ACTIONS, ACTION_IDS } from '../../shared/permissions';

export const UID = {
  source: 'plugin::certify.source',
  template: 'plugin::certify.template',
  record: 'plugin::certify.record',
  renderJob: 'plugin::certify.render-job',
  publishRun: 'plugin::certify.publish-run',
} as const;

/** Tables behind the content types (Strapi snake-cases attribute names into columns). */
export const TABLE = {
  source: 'certify_sources',
  template: 'certify_templates',
  record: 'certify_records',
  renderJob: 'certify_render_jobs',
  publishRun: 'certify_publish_runs',
  /** Not a content type: the name search index (services/search), one row per (record, word). */
  recordWords: 'certify_record_words',
} as const;
