#!/usr/bin/env node
'use strict';
// certify-worker: the Strapi app of the current directory loaded without its HTTP server, working
// Certify's queue (the bullmq driver's Redis queue, or the local driver's database queue). Run any
// number of these on machines that share the app's database, Redis and upload storage.
// SIGTERM/SIGINT finish the current batch and exit 0; a killed worker's claimed jobs are taken over
// once their lease runs out. CERTIFY_WORKER_HEALTH_PORT: serve /api/certify/health/live,
// /api/certify/health/ready and /api/certify/metrics.
const fs = require('node:fs');
const path = require('node:path');

const USAGE = `Usage: certify-worker [--app-dir <dir>] [--compile]

Loads the Strapi app in <dir> (default: the current directory) without its HTTP server and works
Certify's render and delivery queue until SIGTERM or SIGINT.

  --app-dir <dir>  the Strapi app (the folder with package.json and config/)
  --compile        compile a TypeScript app into its outDir first (done anyway when it is missing)
  --help           this text

Environment: the app's own (.env, DATABASE_*, …), plus CERTIFY_QUEUE, CERTIFY_REDIS_URL,
CERTIFY_WORKER_HEALTH_PORT, CERTIFY_WORKER_HEALTH_HOST (see the plugin's README, "The worker").`;

function parseArgs(argv) {
  const args = { appDir: process.cwd(), compile: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--compile') args.compile = true;
    else if (arg === '--app-dir') args.appDir = argv[++i];
    else if (arg.startsWith('--app-dir=')) args.appDir = arg.slice('--app-dir='.length);
    else fail(`unknown argument "${arg}"\n\n${USAGE}`);
  }
  if (!args.appDir) fail(`--app-dir needs a folder\n\n${USAGE}`);
  args.appDir = path.resolve(args.appDir);
  return args;
}

function fail(message) {
  console.error(`certify worker: ${message}`);
  process.exit(1);
}

/** A package as the app itself resolves it, so the worker runs the app's own Strapi. */
function requireFromApp(appDir, name) {
  let resolved;
  try {
    // Strapi's own dependencies (e.g. @strapi/typescript-utils) may sit beside @strapi/strapi only.
    const strapiDir = path.dirname(require.resolve('@strapi/strapi/package.json', { paths: [appDir] }));
    resolved = require.resolve(name, { paths: [appDir, strapiDir] });
  } catch {
    fail(`${appDir} has no ${name} installed: run certify-worker in your Strapi app's folder (or pass --app-dir) after npm install.`);
  }
  return require(resolved);
}

/** Where the app's compiled server lives: the app itself (JavaScript) or its tsconfig's outDir. */
async function resolveDistDir(appDir, compile) {
  if (!fs.existsSync(path.join(appDir, 'package.json')) || !fs.existsSync(path.join(appDir, 'config'))) {
    fail(`${appDir} is not a Strapi app (no package.json and config/ there): run certify-worker in your app's folder or pass --app-dir.`);
  }
  if (!fs.existsSync(path.join(appDir, 'tsconfig.json'))) return appDir;
  const tsUtils = requireFromApp(appDir, '@strapi/typescript-utils');
  const outDir = await tsUtils.resolveOutDir(appDir);
  if (compile || !fs.existsSync(path.join(outDir, 'config'))) {
    console.log(`certify worker: compiling the TypeScript app into ${path.relative(appDir, outDir) || outDir}`);
    await requireFromApp(appDir, '@strapi/strapi').compileStrapi({ appDir, ignoreDiagnostics: false });
  }
  return outDir;
}

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

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  const ownServer = path.join(__dirname, '..', 'dist', 'server', 'index.js');
  if (!fs.existsSync(ownServer)) fail(`the plugin is not built (${ownServer} is missing): run \`npm run build\` in the plugin.`);

  const distDir = await resolveDistDir(args.appDir, args.compile);
  const { createStrapi } = requireFromApp(args.appDir, '@strapi/strapi');
  const loaded = await createStrapi({ appDir: args.appDir, distDir }).load();
  if (!loaded.plugin('certify')) {
    await loaded.destroy();
    fail('Certify is not enabled in this app: add strapi-plugin-certify to its dependencies and `certify: { enabled: true }` to config/plugins.');
  }
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
  console.log(`certify worker ready: driver=${queue.driver()} id=${queue.workerId} app=${args.appDir}`);
  if (stopRequested) await stop(stopRequested);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
