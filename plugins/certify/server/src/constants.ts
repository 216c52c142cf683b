export { PLUGIN_ID, ACTIONS, ACTION_IDS } from '../../shared/permissions';

export const UID = {
  source: 'plugin::certify.source',
  template: 'plugin::certify.template',
  record: 'plugin::certify.record',
  job: 'plugin::certify.job',
  publishRun: 'plugin::certify.publish-run',
  eventState: 'plugin::certify.event-state',
} as const;

/** Tables behind the content types (Strapi snake-cases attribute names into columns). */
export const TABLE = {
  source: 'certify_sources',
  template: 'certify_templates',
  record: 'certify_records',
  job: 'certify_jobs',
  publishRun: 'certify_publish_runs',
  eventState: 'certify_event_states',
  /** Not a content type: the name search index (services/search), one row per (record, word). */
  recordWords: 'certify_record_words',
  /** Not a content type: mappings organisers confirmed, per event and file layout (services/import/memory). */
  importMappings: 'certify_import_mappings',
} as const;
