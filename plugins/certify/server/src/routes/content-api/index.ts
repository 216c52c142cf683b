import participant from './participant';

export default {
  type: 'content-api',
  routes: [...participant],
};
