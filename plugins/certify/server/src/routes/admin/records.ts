import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/records', 'records.list', [ACTION_IDS.read]),
  adminRoute('GET', '/events/:eventId/records/export.csv', 'records.exportCsv', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/records', 'records.create', [ACTION_IDS.records]),
  adminRoute('POST', '/events/:eventId/records/bulk-delete', 'records.bulkDelete', [ACTION_IDS.records]),
  adminRoute('PUT', '/events/:eventId/records/:id', 'records.update', [ACTION_IDS.records]),
  adminRoute('DELETE', '/events/:eventId/records/:id', 'records.remove', [ACTION_IDS.records]),
  adminRoute('POST', '/events/:eventId/imports', 'records.importPreview', [ACTION_IDS.records]),
  adminRoute('POST', '/events/:eventId/imports/:importId/commit', 'records.importCommit', [ACTION_IDS.records]),
];
