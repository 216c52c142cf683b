import participant from './participant';
import proxy from './proxy';

export default {
  type: 'content-api',
  routes: [...participant, ...proxy],
};
