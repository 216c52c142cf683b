import events from './events';
import setup from './setup';
import sources from './sources';
import templates from './templates';
import records from './records';

export default {
  events,
  setup,
  sources,
  templates,
  records,
};
