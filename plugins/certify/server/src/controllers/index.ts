import events from './events';
import sources from './sources';
import templates from './templates';
import records from './records';
import publish from './publish';
import participant from './participant';
import proxy from './proxy';
import availability from './availability';
import ops from './ops';
import maintenance from './maintenance';

export default {
  events,
  sources,
  templates,
  records,
  publish,
  participant,
  proxy,
  availability,
  ops,
  maintenance,
};
