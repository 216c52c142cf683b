import events from './events';
import sources from './sources';
import templates from './templates';
import records from './records';
import publish from './publish';
import availability from './availability';

export default {
  type: 'admin',
  routes: [...events, ...sources, ...templates, ...records, ...publish, ...availability],
};
