#!/usr/bin/env node
/**
 * `npm run demo`: build what is stale, seed a demo event when the database lacks one, and start
 * Strapi (on SQLite unless DATABASE_URL names a PostgreSQL database). Idempotent: a second run
 * finds the demo data and seeds nothing.
 *
 * Options (env): PORT (1337), DATABASE_FILENAME (.tmp/data.db), DEMO_RECORDS (300),
 * DEMO_NO_START=1 (seed and exit), DEMO_SKIP_BUILD=1.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const appDir = path.join(__dirname, '..');
const pluginDir = path.join(appDir, 'plugins', 'certify');
const DEMO = {
  organisation: 'Demo Running Club',
  eventName: 'Athens Demo Marathon 2026',
  eventSlug: 'athens-demo-marathon-2026',
  adminEmail: 'demo@certify.local',
  adminPassword: 'Certify-Demo-2026',
};

const log = (msg) => console.log(`[demo] ${msg}`);

/** A fresh clone has no .env: write one with random secrets (never committed). */
function ensureEnv() {
  const envFile = path.join(appDir, '.env');
  if (fs.existsSync(envFile)) return;
  const secret = () => crypto.randomBytes(16).toString('base64');
  fs.writeFileSync(
    envFile,
    [
      'HOST=0.0.0.0',
      'PORT=1337',
      `APP_KEYS=${[secret(), secret(), secret(), secret()].join(',')}`,
      `API_TOKEN_SALT=${secret()}`,
      `ADMIN_JWT_SECRET=${secret()}`,
      `TRANSFER_TOKEN_SALT=${secret()}`,
      `JWT_SECRET=${secret()}`,
      `ENCRYPTION_KEY=${secret()}`,
      // No DATABASE_CLIENT: SQLite is the default, and a DATABASE_URL given later must not be
      // overridden by a line written here (config/database.ts).
      'DATABASE_FILENAME=.tmp/data.db',
      '',
    ].join('\n')
  );
  log('wrote .env with fresh secrets');
}

/** Hash of everything a build depends on, so unchanged sources are not rebuilt. */
function sourceHash(dirs) {
  const hash = crypto.createHash('sha256');
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name === 'node_modules' || name === 'dist') continue;
        walk(path.join(p, name));
      }
    } else {
      hash.update(p).update(String(st.size)).update(String(st.mtimeMs));
    }
  };
  dirs.forEach((d) => walk(path.join(appDir, d)));
  return hash.digest('hex');
}

function run(cmd, args) {
  log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: appDir, stdio: 'inherit', env: process.env });
}

function buildIfStale() {
  if (process.env.DEMO_SKIP_BUILD === '1') return;
  fs.mkdirSync(path.join(appDir, '.tmp'), { recursive: true });
  const marker = path.join(appDir, '.tmp', 'demo-build.hash');
  const current = sourceHash(['plugins/certify/admin', 'plugins/certify/server', 'plugins/certify/shared', 'src', 'config', 'package.json']);
  const previous = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '';
  const built =
    fs.existsSync(path.join(pluginDir, 'dist', 'admin')) &&
    fs.existsSync(path.join(appDir, 'dist', 'build', 'index.html'));
  if (built && previous === current) {
    log('build is up to date');
    return;
  }
  log('building the plugin and the admin panel (first run: a few minutes)…');
  run('npm', ['run', 'build:plugin']);
  run('node', ['scripts/compile-app.js']);
  run('npx', ['strapi', 'build']);
  fs.writeFileSync(marker, current);
}

function chromiumHint() {
  const candidates = [process.env.CERTIFY_CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  if (candidates.some((p) => p && fs.existsSync(p))) return;
  log('Chromium was not found: the admin works, but previews and publishing need it.');
  log('Install it with: sudo apt-get install -y chromium   (or set CERTIFY_CHROMIUM_PATH)');
}

const FIRST = ['Eleni', 'Nikos', 'Maria', 'Giorgos', 'Anna', 'Dimitris', 'Sofia', 'Kostas', 'Olga', 'Ivan', 'Zofia', 'Łukasz', 'Yuki', 'Wei', 'Fatima', 'Omar', 'Noa', 'Avi', 'Priya', 'Arjun', 'Emma', 'Lucas', 'Chloé', 'João'];
const LAST = ['Papadopoulou', 'Georgiou', 'Nikolaidis', 'Ivanova', 'Petrov', 'Wiśniewska', 'Kowalski', 'Tanaka', 'Zhang', 'Haddad', 'Cohen', 'Sharma', 'Müller', 'Dubois', 'Silva', 'O\'Brien', 'Van der Berg', 'Καραμανλής', 'Смирнова', 'محمد', 'כהן', '王', 'शर्मा', 'García-Márquez'];
const CATEGORIES = ['M18-34', 'M35-44', 'M45-54', 'M55+', 'F18-34', 'F35-44', 'F45-54', 'F55+'];

/** Deterministic pseudo-random participants, so the demo is the same on every machine. */
function demoParticipants(count) {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = [];
  for (let i = 0; i < count; i += 1) {
    const first = FIRST[Math.floor(rnd() * FIRST.length)];
    const last = LAST[Math.floor(rnd() * LAST.length)];
    const category = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)];
    const dnf = rnd() < 0.06;
    const seconds = Math.round(2.3 * 3600 + rnd() * 3.5 * 3600);
    const hh = Math.floor(seconds / 3600);
    const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
    const ss = String(seconds % 60).padStart(2, '0');
    rows.push({
      bib: String(1001 + i),
      name: `${first} ${last}`,
      firstName: first,
      lastName: last,
      email: `runner${1001 + i}@example.com`,
      category,
      gender: category[0],
      finishTime: dnf ? null : `${hh}:${mm}:${ss}`,
      finishSeconds: dnf ? null : seconds,
      extra: { club: rnd() < 0.5 ? 'Athens Runners' : 'Independent', country: ['GR', 'PL', 'JP', 'IL', 'IN', 'FR'][Math.floor(rnd() * 6)] },
    });
  }
  const finishers = rows.filter((r) => r.finishSeconds != null).sort((a, b) => a.finishSeconds - b.finishSeconds);
  finishers.forEach((r, i) => (r.rankOverall = i + 1));
  for (const key of ['gender', 'category']) {
    const seen = {};
    for (const r of finishers) r[key === 'gender' ? 'rankGender' : 'rankCategory'] = seen[r[key]] = (seen[r[key]] ?? 0) + 1;
  }
  return rows;
}

async function uploadFile(strapi, filePath, name, mime, folderName) {
  const stat = fs.statSync(filePath);
  const [file] = await strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name, alternativeText: name, caption: folderName } },
    files: { filepath: filePath, originalFilename: name, mimetype: mime, size: stat.size },
  });
  return file;
}

async function demoPhoto(sharp, index, bibs) {
  const hue = (index * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},60%,45%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,25%)"/></linearGradient></defs>
    <rect width="1200" height="800" fill="url(#g)"/>
    <circle cx="600" cy="330" r="150" fill="rgba(255,255,255,0.18)"/>
    <text x="600" y="620" font-family="sans-serif" font-size="64" fill="#fff" text-anchor="middle">Bib ${bibs.join(' · ')}</text>
  </svg>`;
  const out = path.join(appDir, '.tmp', `demo-photo-${index}.jpg`);
  await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toFile(out);
  return out;
}

async function seed(strapi) {
  const orgUid = 'api::organisation.organisation';
  const eventUid = 'api::event.event';
  const photoUid = 'api::photo.photo';

  let org = await strapi.documents(orgUid).findFirst({ filters: { name: DEMO.organisation } });
  if (!org) {
    org = await strapi.documents(orgUid).create({ data: { name: DEMO.organisation, plan: 'pro' } });
    log(`created organisation "${DEMO.organisation}" (plan: pro)`);
  }
  // A second organisation on Trial shows the lock in the event picker.
  if (!(await strapi.documents(orgUid).findFirst({ filters: { name: 'Trial Triathlon Club' } }))) {
    const trial = await strapi.documents(orgUid).create({ data: { name: 'Trial Triathlon Club', plan: 'trial' } });
    await strapi.documents(eventUid).create({
      data: { name: 'Lake Sprint Triathlon 2026', slug: 'lake-sprint-triathlon-2026', date: '2026-09-12', location: 'Ioannina', organisation: trial.documentId },
    });
  }

  let event = await strapi.documents(eventUid).findFirst({ filters: { slug: DEMO.eventSlug } });
  if (!event) {
    event = await strapi.documents(eventUid).create({
      data: { name: DEMO.eventName, slug: DEMO.eventSlug, date: '2026-11-08', location: 'Athens, Greece', organisation: org.documentId },
    });
    log(`created event "${DEMO.eventName}"`);
  }
  const eventId = event.documentId;

  if ((await strapi.documents(photoUid).count({ filters: { event: { documentId: eventId } } })) === 0) {
    const sharp = require('sharp');
    for (let i = 0; i < 6; i += 1) {
      const bibs = [String(1001 + i * 3), String(1002 + i * 3)];
      const file = await uploadFile(strapi, await demoPhoto(sharp, i, bibs), `demo-photo-${i + 1}.jpg`, 'image/jpeg', 'photos');
      await strapi.documents(photoUid).create({
        data: { event: eventId, image: file.id, bibs, caption: `Kilometre ${5 * (i + 1)}` },
      });
    }
    log('created 6 demo photos');
  }

  const certify = strapi.plugin('certify');
  const UIDS = { source: 'plugin::certify.source', template: 'plugin::certify.template', record: 'plugin::certify.record' };

  let source = await strapi.documents(UIDS.source).findFirst({ filters: { event: eventId } });
  if (!source) {
    source = await certify.service('sources').create(eventId, { name: 'Official results (CSV)', kind: 'upload' });
    log('created source "Official results (CSV)"');
  }

  if ((await strapi.documents(UIDS.template).count({ filters: { event: eventId } })) === 0) {
    // The demo design: A4 landscape, background image, embedded fonts, six fields and a QR code.
    const template = await certify.service('templates').createDemo(eventId, 'Finisher certificate');
    await certify.service('templates').update(eventId, template.documentId, { isDefault: true, purpose: 'finisher' });
    log('created template "Finisher certificate"');
  }

  const existing = await strapi.documents(UIDS.record).count({ filters: { event: eventId } });
  if (existing === 0) {
    const rows = demoParticipants(Number(process.env.DEMO_RECORDS ?? 300));
    for (const row of rows) {
      await strapi.documents(UIDS.record).create({ data: { ...row, event: eventId, source: source.documentId } });
    }
    log(`created ${rows.length} records`);
  }

  const adminUser = await strapi.db.query('admin::user').findOne({ where: { email: DEMO.adminEmail } });
  if (!adminUser) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await strapi.service('admin::user').create({
      email: DEMO.adminEmail,
      firstname: 'Demo',
      lastname: 'Organiser',
      password: DEMO.adminPassword,
      isActive: true,
      registrationToken: null,
      roles: [superAdmin.id],
    });
    log(`created admin ${DEMO.adminEmail}`);
  }
  return event;
}

async function main() {
  process.chdir(appDir);
  ensureEnv();
  require('dotenv').config({ path: path.join(appDir, '.env') });
  process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
  buildIfStale();
  chromiumHint();
  fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });
  fs.mkdirSync(path.join(appDir, '.tmp'), { recursive: true });

  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const event = await seed(strapi);

  if (process.env.DEMO_NO_START === '1') {
    await strapi.destroy();
    log('seeded; DEMO_NO_START=1 so not starting the server');
    // Exit now: Strapi's admin fires a metrics query after creating a user without awaiting it,
    // and on PostgreSQL that query waits for the closed pool and crashes the process a minute later.
    process.exit(0);
  }
  await strapi.start();
  const port = strapi.config.get('server.port');
  console.log(`
  Certify demo is running.
    Admin:       http://localhost:${port}/admin/plugins/certify/events/${event.documentId}
    Login:       ${DEMO.adminEmail} / ${DEMO.adminPassword}
    Event:       ${DEMO.eventName}
  Stop with Ctrl+C.
`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
