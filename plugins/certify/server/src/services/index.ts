/**
 * Every service is a typed factory `({ strapi }) => ({ ... })`. A service may expose
 * `bootstrap()` and `destroy()`; the plugin's bootstrap/destroy call them in this order
 * (destroy in reverse), so a concern's start-up and shutdown live in its own file.
 */
import access from './access';
import events from './events';
import setup from './setup';
import sources from './sources';
import templates from './templates';
import records from './records';
import search from './search';
import importService from './import';
import feeds from './feeds';
import render from './render';
import media from './media';
import publish from './publish';
import delivery from './delivery';
import queue from './queue';
import availability from './availability';
import participant from './participant';
import pages from './participant/pages';
import metrics from './metrics';
import health from './health';
import orphans from './orphans';

export default {
  // Registers the organisation condition, which Strapi accepts only before it has loaded.
  access,
  events,
  setup,
  sources,
  templates,
  records,
  search,
  import: importService,
  feeds,
  render,
  media,
  orphans,
  // The job handlers register with the queue before it starts working (bootstrap runs in this order).
  publish,
  delivery,
  queue,
  availability,
  participant,
  pages,
  metrics,
  health,
};
