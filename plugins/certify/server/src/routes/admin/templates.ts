import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/templates', 'templates.list', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/templates', 'templates.create', [ACTION_IDS.design]),
  adminRoute('GET', '/events/:eventId/templates/:id', 'templates.findOne', [ACTION_IDS.read]),
  adminRoute('PUT', '/events/:eventId/templates/:id', 'templates.update', [ACTION_IDS.design]),
  adminRoute('DELETE', '/events/:eventId/templates/:id', 'templates.delete', [ACTION_IDS.design]),
  adminRoute('POST', '/events/:eventId/templates/:id/preview', 'templates.preview', [ACTION_IDS.read]),
  adminRoute('GET', '/fonts', 'templates.fonts', [ACTION_IDS.read]),
];
