import source from './source';
import template from './template';
import record from './record';
import job from './job';
import publishRun from './publish-run';
import eventState from './event-state';

export default {
  source,
  template,
  record,
  job,
  'publish-run': publishRun,
  'event-state': eventState,
};
