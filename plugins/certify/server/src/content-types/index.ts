import source from './source';
import template from './template';
import record from './record';
import renderJob from './render-job';
import publishRun from './publish-run';

export default {
  source,
  template,
  record,
  'render-job': renderJob,
  'publish-run': publishRun,
};
