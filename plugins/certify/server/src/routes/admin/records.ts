import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('POST', '/events/:eventId/records', 'records.create', [ACTION_IDS.records]),
];
