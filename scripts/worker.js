#!/usr/bin/env node
// `npm run worker`: Strapi loaded without its HTTP server, working Certify's queue (the bullmq
// driver's Redis queue, or the local driver's database queue). Run any number of these on machines
// that share the database, Redis and the upload storage. SIGTERM/SIGINT finish the current batch
// (handing back what is not done within CERTIFY_SHUTDOWN_MS) and exit 0; a killed worker's claimed
// jobs are taken over once their lease runs out, and its stored but uncommitted files are swept.
// CERTIFY_WORKER_HEALTH_PORT: serve /api/certify/health/live, /health/ready and /metrics.
const fs = require('node:fs');
const path = require('node:path');

const appDir = path.join(__dirname, '..');
const distDir = path.join(appDir, 'dist');

let strapi = null;
let stopRequested = null;
let stopping = false;

async function stop(signal) {
  stopRequested = signal;
  if (!strapi || stopping) return; // before boot completes: main() stops right after loading
  stopping = true;
  console.log(`certify worker: ${signal}, finishing the current batch`);
  try {
    // Readiness answers 503 from now; batches not finished within queue.shutdownMs are handed back.
    strapi.plugin('certify').service('health').beginShutdown();
    await strapi.plugin('certify').service('queue').stopWorker();
    await strapi.destroy();
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
  process.exit(0);
}
const onTerm = () => stop('SIGTERM');
const onInt = () => stop('SIGINT');
process.on('SIGTERM', onTerm);
process.on('SIGINT', onInt);

async function main() {
  if (!fs.existsSync(path.join(distDir, 'config')) || !fs.existsSync(path.join(appDir, 'plugins/certify/dist/server/index.js'))) {
    console.error('The app is not built: run `npm run build:server` (or `npm run build`) first.');
    process.exit(1);
  }
  const { createStrapi } = require('@strapi/strapi');
  const loaded = await createStrapi({ appDir, distDir }).load();
  // Strapi's own signal handler destroys at once; the worker first finishes its batch.
  for (const [signal, mine] of [['SIGTERM', onTerm], ['SIGINT', onInt]]) {
    for (const listener of process.listeners(signal)) if (listener !== mine) process.off(signal, listener);
  }
  strapi = loaded;
  const queue = strapi.plugin('certify').service('queue');
  queue.startWorker();
  // Orchestrators probe workers as they probe web processes: the same health and metrics paths.
  const healthPort = process.env.CERTIFY_WORKER_HEALTH_PORT;
  if (healthPort) await strapi.plugin('certify').service('health').listen(Number(healthPort), process.env.CERTIFY_WORKER_HEALTH_HOST || '0.0.0.0');
  console.log(`certify worker ready: driver=${queue.driver()} id=${queue.workerId}`);
  if (stopRequested) await stop(stopRequested);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
