#!/usr/bin/env node
// `npm run test:install`: proves the npm package in a Strapi 5 app that is not this repository's.
//
//  1. packs plugins/certify with `npm pack` (its prepack builds it with @strapi/sdk-plugin and
//     runs `strapi-plugin verify`);
//  2. copies tests/install/fixture (races, clubs, finish-line photos) to a temporary folder outside
//     the repository, and writes its config/plugins.ts and its club schema from the blocks of the
//     plugin's README: the README is what the app follows;
//  3. installs the app's dependencies and the tarball with `npm install --prefer-offline` (the npm
//     cache, so it runs offline once the cache is warm);
//  4. builds the admin panel and the TypeScript app (`npm run build`), starts it (`npm run start`,
//     CERTIFY_QUEUE_IN_PROCESS=false) and the package's worker (node_modules/.bin/certify-worker);
//  5. through HTTP only: registers the first admin, creates clubs, races and a tagged finish photo
//     with the Content Manager and Upload APIs, checks that a race of a `free` club is refused with
//     the plan error, creates a template, imports a CSV (dry run + commit), publishes, finds a
//     certificate on the finder page and verifies it; then logs into the built admin panel with
//     Chromium (playwright-core of the installed package) and opens Certify's pages.
//
// better-sqlite3 (the fixture's database driver, not a dependency of the plugin) compiles from
// source when its prebuilt binary cannot be downloaded, which takes minutes here. The binary this
// repository's `npm ci` compiled for the same version and Node ABI is offered to its install script
// as a local prebuild (prebuild-install's documented `local_prebuilds` setting), as a CI cache of
// prebuilt binaries would; CERTIFY_INSTALL_COMPILE_SQLITE=1 compiles it instead.
// CERTIFY_INSTALL_KEEP=1 keeps the temporary folder (it is kept anyway when a step fails);
// CERTIFY_INSTALL_TMP chooses where it is created (default: /dev/shm when it has room).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const repo = path.join(__dirname, '..');
const pluginDir = path.join(repo, 'plugins', 'certify');
const fixtureDir = path.join(repo, 'tests', 'install', 'fixture');
// Set by main(): a temporary folder outside the repository, so nothing in the app can resolve a
// package from the repository's node_modules.
let work = '';
let appDir = '';
const started = Date.now();
const timings = [];
const children = [];

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`[install +${secs(Date.now() - started)}] ${msg}`);

async function step(name, fn) {
  const t = Date.now();
  log(`▶ ${name}`);
  const result = await fn();
  timings.push([name, Date.now() - t]);
  log(`✔ ${name} (${secs(Date.now() - t)})`);
  return result;
}

function check(condition, message, detail) {
  if (!condition) throw new Error(`${message}${detail === undefined ? '' : `\n${typeof detail === 'string' ? detail : JSON.stringify(detail, null, 2)}`}`);
}

/** Runs a command to its end, its output shown (indented) only when it fails or VERBOSE is set. */
function run(cmd, args, { cwd, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d) => {
      out += d;
      if (process.env.VERBOSE) process.stdout.write(d);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out.split('\n').slice(-60).join('\n')}`))
    );
  });
}

/** A long-running process in its own group (Strapi starts Chromium), its output kept. */
function startProcess(label, cmd, args, { cwd, env }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const proc = { label, child, out: '', exited: null };
  child.stdout.on('data', (d) => (proc.out += d));
  child.stderr.on('data', (d) => (proc.out += d));
  proc.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  children.push(proc);
  return proc;
}

const killGroup = (proc, signal) => {
  try {
    process.kill(-proc.child.pid, signal);
  } catch {
    /* already gone */
  }
};

/** SIGTERM to the process itself (`group`: to its whole group), SIGKILL to the group after the timeout or the exit. */
async function stopProcess(proc, { group = true, timeoutMs = 30_000 } = {}) {
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    if (group) killGroup(proc, 'SIGTERM');
    else proc.child.kill('SIGTERM');
  }
  const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), timeoutMs);
  const result = await proc.exited;
  clearTimeout(timer);
  killGroup(proc, 'SIGKILL'); // whatever it left behind (Chromium)
  return result;
}

async function waitFor(what, fn, timeoutMs, everyMs = 500, proc = null) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value) return value;
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) throw new Error(`${proc.label} exited while waiting for ${what}`);
    if (Date.now() > until) throw new Error(`timed out after ${secs(timeoutMs)} waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

/** The fenced code block of the README that starts with `firstLine` (after the fence). */
function readmeBlock(readme, lang, firstLine) {
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  for (const [, body] of readme.matchAll(re)) if (body.trimStart().startsWith(firstLine)) return body;
  throw new Error(`plugins/certify/README.md has no \`\`\`${lang} block starting with ${JSON.stringify(firstLine)}: the install test follows that block`);
}

// --- steps -----------------------------------------------------------------------------------

async function pack() {
  // prepack: strapi-plugin build && strapi-plugin verify
  await run('npm', ['pack', '--pack-destination', work], { cwd: pluginDir });
  const tarball = fs.readdirSync(work).find((f) => /^strapi-plugin-certify-.*\.tgz$/.test(f));
  check(tarball, `npm pack wrote no strapi-plugin-certify-*.tgz into ${work}`);
  const listing = execFileSync('tar', ['tzf', path.join(work, tarball)], { encoding: 'utf8' }).split('\n');
  for (const needed of ['package/package.json', 'package/README.md', 'package/bin/certify-worker.js', 'package/dist/server/index.js', 'package/dist/admin/index.mjs', 'package/server/assets/sample-photo.jpg']) {
    check(listing.includes(needed), `the tarball lacks ${needed}`);
  }
  check(!listing.some((f) => f.startsWith('package/server/src/') || f.startsWith('package/admin/src/') || f.includes('node_modules/')), 'the tarball carries sources or node_modules');
  log(`  ${tarball}: ${listing.filter(Boolean).length} files, ${(fs.statSync(path.join(work, tarball)).size / 1024).toFixed(0)} KB`);
  return path.join(work, tarball);
}

function createApp() {
  fs.cpSync(fixtureDir, appDir, { recursive: true });
  const readme = fs.readFileSync(path.join(pluginDir, 'README.md'), 'utf8');
  fs.writeFileSync(path.join(appDir, 'config', 'plugins.ts'), readmeBlock(readme, 'ts', '// config/plugins.ts'));
  const clubDir = path.join(appDir, 'src', 'api', 'club', 'content-types', 'club');
  fs.mkdirSync(clubDir, { recursive: true });
  const club = readmeBlock(readme, 'json', '{\n  "kind": "collectionType",\n  "collectionName": "clubs"');
  JSON.parse(club); // a README block that is not JSON fails here, not in Strapi
  fs.writeFileSync(path.join(clubDir, 'schema.json'), club);
  fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });
  log(`  ${appDir}: config/plugins.ts and the club schema from the plugin's README`);
}

/** The repository's compiled better-sqlite3 as a prebuild of the version the fixture pins (see the header). */
function sqlitePrebuild() {
  if (process.env.CERTIFY_INSTALL_COMPILE_SQLITE === '1') return {};
  const wanted = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'package.json'), 'utf8')).dependencies['better-sqlite3'];
  const ours = path.join(repo, 'node_modules', 'better-sqlite3');
  const binary = path.join(ours, 'build', 'Release', 'better_sqlite3.node');
  const version = fs.existsSync(binary) ? JSON.parse(fs.readFileSync(path.join(ours, 'package.json'), 'utf8')).version : null;
  if (version !== wanted) {
    log(`  no compiled better-sqlite3 ${wanted} in the repository: it compiles from source (a few minutes)`);
    return {};
  }
  const dir = path.join(work, 'prebuilds');
  fs.mkdirSync(dir);
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['czf', path.join(dir, name), 'build/Release/better_sqlite3.node'], { cwd: ours });
  log(`  better-sqlite3 ${version}: the repository's compiled binary offered as the local prebuild ${name}`);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

async function install(tarball) {
  const out = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: appDir, env: sqlitePrebuild() });
  const added = /added (\d+) packages/.exec(out);
  if (added) log(`  added ${added[1]} packages`);
  const installed = path.join(appDir, 'node_modules', 'strapi-plugin-certify');
  check(fs.existsSync(installed) && !fs.lstatSync(installed).isSymbolicLink(), 'strapi-plugin-certify is not installed as a package in the app');
  const strapiPkg = require.resolve('@strapi/strapi/package.json', { paths: [appDir] });
  check(strapiPkg.startsWith(appDir), `the app resolves @strapi/strapi outside itself: ${strapiPkg}`);
  const deps = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')).dependencies;
  check(/^file:.*strapi-plugin-certify-.*\.tgz$/.test(deps['strapi-plugin-certify'] ?? ''), 'npm install did not record the tarball in package.json', deps);
  check(fs.existsSync(path.join(appDir, 'node_modules', '.bin', 'certify-worker')), 'the certify-worker bin is not linked in node_modules/.bin');
  // The plugin's errors must be instances of the classes Strapi's error middleware checks: one
  // copy of @strapi/utils, Strapi's own (a second copy turns every 4xx of Certify into a 500).
  const coreDir = path.dirname(require.resolve('@strapi/core/package.json', { paths: [path.dirname(strapiPkg)] }));
  const utilsOfCore = require.resolve('@strapi/utils', { paths: [coreDir] });
  const utilsOfPlugin = require.resolve('@strapi/utils', { paths: [installed] });
  check(utilsOfCore === utilsOfPlugin, `the plugin resolves another @strapi/utils than Strapi's core: ${utilsOfPlugin} vs ${utilsOfCore}`);
}

const appEnv = (port) => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  DATABASE_FILENAME: path.join(work, 'data.db'),
  APP_KEYS: 'installKeyA==,installKeyB==',
  API_TOKEN_SALT: 'install-api-token-salt',
  ADMIN_JWT_SECRET: 'install-admin-jwt-secret',
  JWT_SECRET: 'install-jwt-secret',
  TRANSFER_TOKEN_SALT: 'install-transfer-token-salt',
  ENCRYPTION_KEY: 'install-encryption-key-32-chars!!',
  STRAPI_TELEMETRY_DISABLED: 'true',
  BROWSER: 'none',
  // Rendering is the worker's: the web process only enqueues.
  CERTIFY_QUEUE_IN_PROCESS: 'false',
  CERTIFY_QUEUE: 'local',
});

async function build(env) {
  await run('npm', ['run', 'build'], { cwd: appDir, env });
  const client = path.join(appDir, '.strapi', 'client', 'app.js');
  const entry = fs.existsSync(client) ? fs.readFileSync(client, 'utf8') : '';
  check(entry.includes('strapi-plugin-certify/strapi-admin'), `the admin build does not import strapi-plugin-certify/strapi-admin (${client})`, entry.slice(0, 2000));
  check(fs.existsSync(path.join(appDir, 'dist', 'config', 'plugins.js')), 'npm run build did not compile the TypeScript app into dist/');
}

/** A small HTTP client of the running app: JSON in and out, the admin token once logged in. */
function client(base) {
  let token = null;
  const request = async (method, url, { body, form, auth = true } = {}) => {
    const headers = {};
    if (auth && token) headers.authorization = `Bearer ${token}`;
    let payload;
    if (form) payload = form;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(base + url, { method, headers, body: payload, redirect: 'manual' });
    const type = res.headers.get('content-type') ?? '';
    const raw = Buffer.from(await res.arrayBuffer());
    const json = type.includes('json') ? JSON.parse(raw.toString('utf8') || 'null') : null;
    return { status: res.status, type, json, text: type.includes('json') || type.startsWith('text/') ? raw.toString('utf8') : '', raw };
  };
  return {
    request,
    setToken: (t) => (token = t),
    async expect(method, url, status, opts) {
      const res = await request(method, url, opts);
      check(res.status === status, `${method} ${url}: expected ${status}, got ${res.status}`, res.json ?? res.text.slice(0, 1500));
      return res;
    },
  };
}

const ADMIN = { email: 'install@example.org', password: 'Install-Test-2026' };

const RESULTS_CSV = `Bib,Name,Gender,Category,Chip Time,Overall,Email
101,Maria Ionescu,F,F35,03:41:07,1,maria@example.org
102,Jan Kowalski,M,M40,03:52:11,2,
103,"Dubois, Amélie",F,F40,04:02:59,3,
104,Kofi Mensah,M,M35,04:10:20,4,
`;

async function exercise(base, worker) {
  const api = client(base);
  const cm = (uid) => `/content-manager/collection-types/${uid}`;

  await step('HTTP: register the first admin', async () => {
    const res = await api.expect('POST', '/admin/register-admin', 200, { body: { firstname: 'Install', lastname: 'Test', ...ADMIN } });
    api.setToken(res.json.data.token);
    const admin = await api.expect('GET', '/admin/', 200, { auth: false });
    check(/<html/i.test(admin.text), 'the admin panel is not served at /admin/');
  });

  const content = await step('HTTP: clubs, races and a tagged finish photo (Content Manager, Upload)', async () => {
    const gold = (await api.expect('POST', cm('api::club.club'), 201, { body: { name: 'Harbour Runners', tier: 'gold' } })).json.data;
    const free = (await api.expect('POST', cm('api::club.club'), 201, { body: { name: 'Sunday Joggers', tier: 'free' } })).json.data;
    const race = async (title, slug, club) => {
      const created = (await api.expect('POST', cm('api::race.race'), 201, {
        body: { title, slug, startsOn: '2026-10-18', distanceKm: 42.195, club: { connect: [{ documentId: club.documentId }] } },
      })).json.data;
      await api.expect('POST', `${cm('api::race.race')}/${created.documentId}/actions/publish`, 200, { body: {} });
      return created;
    };
    const harbour = await race('Harbour Marathon 2026', 'harbour-marathon-2026', gold);
    const sunday = await race('Sunday Fun Run 2026', 'sunday-fun-run-2026', free);

    // The picture comes from the installed package (its sample photo), uploaded like any image.
    const photoFile = path.join(appDir, 'node_modules', 'strapi-plugin-certify', 'server', 'assets', 'sample-photo.jpg');
    const form = new FormData();
    form.append('files', new Blob([fs.readFileSync(photoFile)], { type: 'image/jpeg' }), 'finish-101.jpg');
    const uploaded = (await api.expect('POST', '/upload', 201, { form })).json;
    const picture = Array.isArray(uploaded) ? uploaded[0] : uploaded.data?.[0] ?? uploaded.data;
    check(picture?.id && picture.url, 'the upload answered no file', uploaded);
    await api.expect('POST', cm('api::finish-photo.finish-photo'), 201, {
      body: {
        race: { connect: [{ documentId: harbour.documentId }] },
        runnerNumbers: ['101', '999'],
        picture: picture.id,
        note: 'Maria at the finish line',
        takenAt: '2026-10-18T12:41:07.000Z',
      },
    });
    return { gold, harbour, sunday, picture };
  });

  await step('HTTP: the event picker lists the races through the mapping; the free club\'s race is refused with the plan error', async () => {
    const list = (await api.expect('GET', '/certify/events?pageSize=50', 200)).json;
    const byId = Object.fromEntries(list.results.map((e) => [e.documentId, e]));
    const h = byId[content.harbour.documentId];
    const s = byId[content.sunday.documentId];
    check(h && s, 'the picker does not list both races', list);
    check(h.name === 'Harbour Marathon 2026' && h.slug === 'harbour-marathon-2026' && String(h.date).startsWith('2026-10-18'), 'the race is not read through title/slug/startsOn', h);
    check(h.organisation?.name === 'Harbour Runners' && h.organisation.plan === 'gold' && h.certifyEnabled === true, 'the gold club\'s race is not unlocked', h);
    check(s.certifyEnabled === false && /free/.test(s.lockReason ?? ''), 'the free club\'s race is not locked with a reason', s);

    const refused = await api.expect('GET', `/certify/events/${content.sunday.documentId}/setup-state`, 403);
    check(refused.json.error.details.code === 'CERTIFY_PLAN_REQUIRED', 'the refusal has no plan code', refused.json);
    check(refused.json.error.details.plan === 'free' && refused.json.error.details.requiredPlans.includes('gold'), 'the refusal does not name the plans', refused.json);
    check(/gold/i.test(refused.json.error.message), 'the plan error does not say which plan unlocks Certify', refused.json);
    const form = new FormData();
    form.append('file', new Blob([RESULTS_CSV], { type: 'text/csv' }), 'results.csv');
    const importRefused = await api.expect('POST', `/certify/events/${content.sunday.documentId}/imports`, 403, { form });
    check(importRefused.json.error.details.code === 'CERTIFY_PLAN_REQUIRED', 'an import into the free club\'s race is not refused with the plan code', importRefused.json);
    const publicRefused = await api.expect('GET', `/api/certify/events/${content.sunday.documentId}/status`, 403, { auth: false });
    check(publicRefused.json.error.details.code === 'CERTIFY_PLAN_REQUIRED', 'the public status of the free club\'s race is not refused with the plan code', publicRefused.json);
    const finder = await api.expect('GET', '/api/certify/events/sunday-fun-run-2026/certificates?bib=101', 404, { auth: false });
    check(finder.json.error.details.code === 'CERTIFY_CERTIFICATES_OFFLINE', 'the finder of the free club\'s race does not say it offers no certificates', finder.json);
  });

  await step('HTTP: an organiser of the gold club (its `organisers`, the membersField) with the organisation condition sees only its race', async () => {
    const role = (await api.expect('POST', '/admin/roles', 201, { body: { name: 'Club organiser', description: 'Certify for their own club' } })).json.data;
    await api.expect('PUT', `/admin/roles/${role.id}/permissions`, 200, {
      body: { permissions: [{ action: 'plugin::certify.read', subject: null, properties: {}, conditions: ['plugin::certify.is-organisation-member'] }] },
    });
    const invited = (await api.expect('POST', '/admin/users', 201, { body: { firstname: 'Club', lastname: 'Organiser', email: 'organiser@example.org', roles: [role.id] } })).json.data;
    const registered = (await api.expect('POST', '/admin/register', 200, {
      auth: false,
      body: { registrationToken: invited.registrationToken, userInfo: { firstname: 'Club', lastname: 'Organiser', password: 'Organiser-2026' } },
    })).json.data;
    await api.expect('PUT', `${cm('api::club.club')}/${content.gold.documentId}`, 200, { body: { organisers: { connect: [{ id: invited.id }] } } });
    const organiser = client(base);
    organiser.setToken(registered.token);
    const seen = (await organiser.expect('GET', '/certify/events?pageSize=50', 200)).json.results.map((e) => e.name);
    check(seen.length === 1 && seen[0] === 'Harbour Marathon 2026', 'the organiser does not see exactly their club\'s race', seen);
    await organiser.expect('GET', `/certify/events/${content.sunday.documentId}`, 403);
  });

  const eventId = content.harbour.documentId;
  const ev = (p) => `/certify/events/${eventId}${p}`;

  await step('HTTP: a template with the race, the runner, the finish photo and the QR code', async () => {
    const design = {
      version: 1,
      fontFamily: 'EB Garamond',
      elements: [
        { id: 'title', type: 'text', text: 'Finisher', x: 20, y: 20, width: 250, height: 20, fontFamily: 'Playfair Display', fontWeight: 700, fontSize: 32 },
        { id: 'race', type: 'text', text: '{{event.name}}', x: 20, y: 45, width: 250, height: 12, fontSize: 16 },
        { id: 'name', type: 'text', field: 'name', x: 20, y: 70, width: 180, height: 24, fontSize: 36, shrinkToFit: true, minFontSize: 12 },
        { id: 'time', type: 'text', text: 'finished in {{formatTime finishTime}} · bib {{bib}}', x: 20, y: 100, width: 180, height: 12, fontSize: 18, fontFamily: 'Inter' },
        { id: 'photo', type: 'photo', x: 205, y: 70, width: 70, height: 50 },
        { id: 'qr', type: 'qr', x: 20, y: 150, width: 30, height: 30 },
      ],
    };
    const res = await api.expect('POST', ev('/templates'), 201, { body: { name: 'Finisher', design, isDefault: true } });
    check(res.json.data.documentId, 'the template was not created', res.json);
  });

  await step('HTTP: import a results CSV (dry run, then commit)', async () => {
    const form = new FormData();
    form.append('file', new Blob([RESULTS_CSV], { type: 'text/csv' }), 'harbour-results.csv');
    const preview = (await api.expect('POST', ev('/imports'), 200, { form })).json.data;
    check(preview.importId, 'the dry run returned no importId', preview);
    const commit = (await api.expect('POST', ev(`/imports/${preview.importId}/commit`), 200, { body: {} })).json.data;
    const records = (await api.expect('GET', ev('/records?pageSize=50'), 200)).json;
    const rows = records.data?.results ?? records.data;
    check(Array.isArray(rows) && rows.length === 4, 'the import did not store 4 records', { commit, records });
    const maria = rows.find((r) => r.bib === '101');
    check(maria?.name === 'Maria Ionescu' && maria.finishTime === '03:41:07' && maria.rankOverall === 1 && maria.category === 'F35', 'the columns were not mapped (Name, Chip Time, Overall, Category)', maria);
    log(`  ${rows.length} records`);
  });

  const run = await step('HTTP: publish; the certify-worker process renders and stores the certificates', async () => {
    const res = await api.expect('POST', ev('/publish'), 201, { body: {} });
    check(res.json.data.total === 4, 'the run does not cover the 4 records', res.json);
    const finished = await waitFor(
      'the run to finish',
      async () => {
        const cur = (await api.request('GET', ev('/publish/runs/current'))).json?.data;
        return cur?.status === 'finished' ? cur : null;
      },
      240_000,
      1000,
      worker
    );
    check(finished.done === 4 && finished.failed === 0, 'the run did not publish every record', finished);
    check(/certify worker ready/.test(worker.out), 'the worker never said it was ready', worker.out.slice(-2000));
    return finished;
  });
  log(`  run: ${run.done} done, ${run.failed} failed`);

  await step('HTTP: the finder page and API find the certificate by bib and by name, with the tagged photo', async () => {
    const found = (await api.expect('GET', '/api/certify/events/harbour-marathon-2026/certificates?bib=101', 200, { auth: false })).json.data;
    check(found.event.name === 'Harbour Marathon 2026' && found.results.length === 1, 'the finder does not find bib 101', found);
    const cert = found.results[0];
    check(cert.name === 'Maria Ionescu' && cert.finishTime === '03:41:07', 'the finder answers another record', cert);
    check(cert.photos.length === 1 && cert.photos[0].url === content.picture.url && cert.photos[0].caption === 'Maria at the finish line', 'the finish photo tagged in runnerNumbers is not linked', cert.photos);
    const byName = (await api.expect('GET', `/api/certify/events/harbour-marathon-2026/certificates?name=${encodeURIComponent('amelie dubois')}`, 200, { auth: false })).json.data;
    check(byName.results.length === 1 && byName.results[0].bib === '103', 'the finder does not find "amelie dubois"', byName);
    const page = await api.expect('GET', '/certificates/harbour-marathon-2026?bib=101', 200, { auth: false });
    check(page.type.startsWith('text/html') && page.text.includes('Maria Ionescu') && page.text.includes(`/verify/${cert.code}`), 'the finder page does not show the certificate and its verify link', page.text.slice(0, 3000));
    const pdf = await api.expect('GET', `/api/certify/certificates/${cert.code}/pdf`, 200, { auth: false });
    check(pdf.raw.subarray(0, 5).toString() === '%PDF-' && pdf.raw.length > 5000, 'the certificate PDF is not a PDF', pdf.type);
    log(`  bib 101: code ${cert.code}, PDF ${(pdf.raw.length / 1024).toFixed(0)} KB`);
    content.code = cert.code;
  });

  await step('HTTP: verify the certificate (the URL in its QR code)', async () => {
    const page = await api.expect('GET', `/verify/${content.code}`, 200, { auth: false });
    check(page.text.includes('Maria Ionescu') && page.text.includes('Harbour Marathon 2026'), 'the verify page does not show the runner and the race', page.text.slice(0, 3000));
    const json = (await api.expect('GET', `/api/certify/certificates/${content.code}`, 200, { auth: false })).json.data;
    check(json.bib === '101' && json.event.slug === 'harbour-marathon-2026', 'the verify API answers another certificate', json);
    await api.expect('GET', '/verify/NOT-A-CODE', 404, { auth: false });
  });

  await step('browser: the admin panel built with the plugin logs in, lists the races and opens one', async () => {
    // playwright-core is a dependency of the installed package: nothing of the repository's.
    const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(appDir, 'node_modules', 'strapi-plugin-certify')] }));
    const browser = await chromium.launch({
      executablePath: process.env.CERTIFY_CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    try {
      await page.goto(`${base}/admin/auth/login`);
      await page.fill('input[name="email"]', ADMIN.email);
      await page.fill('input[name="password"]', ADMIN.password);
      await page.click('button[type="submit"]');
      await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'), { timeout: 60_000 });
      await page.goto(`${base}/admin/plugins/certify`);
      await page.getByText('Harbour Marathon 2026').first().waitFor({ timeout: 60_000 });
      await page.getByText('Sunday Fun Run 2026').first().waitFor({ timeout: 10_000 });
      await page.goto(`${base}/admin/plugins/certify/events/${eventId}`);
      await page.getByText('Harbour Runners').first().waitFor({ timeout: 60_000 });
      await page.getByText('Finisher').first().waitFor({ timeout: 10_000 });
    } catch (err) {
      await page.screenshot({ path: path.join(work, 'admin-failure.png') }).catch(() => undefined);
      throw new Error(`${err.message}\npage errors: ${errors.join(' | ') || 'none'}; screenshot: ${path.join(work, 'admin-failure.png')}`);
    } finally {
      await browser.close();
    }
    check(errors.length === 0, 'the admin pages threw', errors);
  });
}

/**
 * Where the app is created: CERTIFY_INSTALL_TMP, else /dev/shm when it is a memory file system with
 * room to spare, else the system's temporary folder. The app's ~90,000 files (1 GB) took 2 minutes
 * to install and almost 4 to delete on this machine's busy disk; in memory both are I/O-free.
 */
function tempRoot() {
  if (process.env.CERTIFY_INSTALL_TMP) return process.env.CERTIFY_INSTALL_TMP;
  try {
    const { bavail, bsize } = fs.statfsSync('/dev/shm');
    if (bavail * bsize > 4 * 1024 ** 3) return '/dev/shm';
  } catch {
    /* no /dev/shm here */
  }
  return os.tmpdir();
}

async function main() {
  work = fs.mkdtempSync(path.join(tempRoot(), 'certify-install-'));
  appDir = path.join(work, 'app');
  log(`work folder ${work}`);
  const tarball = await step('npm pack (prepack: strapi-plugin build + verify)', pack);
  await step('create the app from tests/install/fixture + the README', createApp);
  await step('npm install --prefer-offline (the app\'s dependencies + the tarball)', () => install(tarball));
  const port = await freePort();
  const env = appEnv(port);
  await step('npm run build (admin panel + TypeScript)', () => build(env));
  const base = `http://127.0.0.1:${port}`;
  const server = startProcess('the server (npm run start)', 'npm', ['run', 'start'], { cwd: appDir, env });
  await step('npm run start: /_health answers', () =>
    waitFor('/_health', async () => (await fetch(`${base}/_health`)).status === 204, 180_000, 500, server)
  );
  // The bin as `npx certify-worker` runs it (npm run would stand between the signal and the worker).
  const worker = startProcess('the worker (certify-worker)', path.join(appDir, 'node_modules', '.bin', 'certify-worker'), [], { cwd: appDir, env });
  await step('certify-worker (node_modules/.bin): ready', () => waitFor('the worker', async () => /certify worker ready/.test(worker.out), 180_000, 300, worker));
  await exercise(base, worker);
  await step('stop the worker (SIGTERM finishes the batch, exit 0) and the server', async () => {
    const w = await stopProcess(worker, { group: false });
    check(w.code === 0 && /SIGTERM, finishing the current batch/.test(worker.out), `the worker exited with ${JSON.stringify(w)}`, worker.out.slice(-2000));
    await stopProcess(server);
  });
}

/** Runs only the HTTP steps against an app that is already running (for working on this script). */
module.exports = { exercise: (base, worker, dir) => ((appDir = dir), exercise(base, worker)) };

if (require.main === module) main()
  .then(() => {
    console.log('\nstep timings:');
    for (const [name, ms] of timings) console.log(`  ${secs(ms).padStart(8)}  ${name}`);
    console.log(`test:install passed in ${secs(Date.now() - started)}`);
    if (process.env.CERTIFY_INSTALL_KEEP === '1') return console.log(`kept ${work}`);
    const t = Date.now();
    fs.rmSync(work, { recursive: true, force: true });
    console.log(`removed ${work} (${secs(Date.now() - t)})`);
  })
  .catch(async (err) => {
    console.error(`\ntest:install FAILED after ${secs(Date.now() - started)}: ${err.stack || err}`);
    for (const proc of children) {
      console.error(`\n--- last output of ${proc.label} ---\n${proc.out.split('\n').slice(-40).join('\n')}`);
      await stopProcess(proc, { timeoutMs: 5_000 });
    }
    console.error(`\nthe app is kept in ${work}`);
    process.exit(1);
  });
