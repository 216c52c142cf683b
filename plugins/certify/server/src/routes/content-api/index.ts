import participant from './participant';
import proxy from './proxy';
import ops from './ops';

export default {
  type: 'content-api',
  routes: [...participant, ...proxy, ...ops],
};
