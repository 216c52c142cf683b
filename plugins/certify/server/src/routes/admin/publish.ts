import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/publish/summary', 'publish.summary', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/publish', 'publish.start', [ACTION_IDS.publish]),
];
