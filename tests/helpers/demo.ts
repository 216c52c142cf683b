/**
 * The app `npm run demo` starts (it rebuilds only what is stale and seeds the demo event), for the
 * browser tests: started in its own process group on a free port with its own public folder and
 * database (a SQLite file, or a PostgreSQL schema when DATABASE_URL names PostgreSQL), and an admin signed in through the real login page on the system's Chromium
 * (playwright-core). A test that needs more data than the demo seeds passes `prepare`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from './net';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { isPostgres, pgQuery } = require('./db');

const appDir = path.join(__dirname, '..', '..');
const LOGIN = { email: 'demo@certify.local', password: 'Certify-Demo-2026' };
// A stale admin build is rebuilt first (1–3 minutes here); the tests themselves take seconds.
export const BOOT_MS = 10 * 60_000;

export interface Demo<T = void> {
  base: string;
  /** The demo event's admin page. */
  eventPath: string;
  browser: Browser;
  page: Page;
  /** The server's process id (e.g. to read its memory from /proc). */
  pid: number;
  /** The server's public folder (uploads in `<publicDir>/uploads`). */
  publicDir: string;
  /** What `prepare` returned. */
  prepared: T;
  stop(): Promise<void>;
}

export interface DemoOptions<T> {
  /**
   * Work on the demo's database before its server starts, e.g. records by the thousand: the demo
   * is built and seeded first without starting, then `prepare` runs on a Strapi loaded in this
   * process on the same database and public folder (no queue worker, no HTTP server), then the
   * demo starts on what it left.
   */
  prepare?: (strapi: Core.Strapi) => Promise<T>;
}

/** Where one demo runs: its port, its folder (public folder, SQLite file) and its PostgreSQL schema if any. */
interface Place {
  port: number;
  tmp: string;
  schema: string | null;
}

/** The environment of the demo (and of `prepare`) at `place`, over this process's own. */
const demoEnv = ({ port, tmp, schema }: Place): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_DIR: path.join(tmp, 'public'),
    DEMO_RECORDS: '20',
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'none',
    ...(schema ? { DATABASE_CLIENT: 'postgres', DATABASE_SCHEMA: schema } : { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(tmp, 'e2e.db') }),
  };
  // Jest's own test environment would make Strapi read test-only settings.
  delete env.NODE_ENV;
  if (!schema) delete env.DATABASE_URL;
  return env;
};

/** Start the demo and resolve with the admin URL it prints (or, with DEMO_NO_START, once it has seeded and exited). */
const startDemo = (place: Place, extra: NodeJS.ProcessEnv = {}) =>
  new Promise<{ child: ChildProcess; eventPath: string }>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...demoEnv(place), ...extra };
    const child = spawn(process.execPath, [path.join(appDir, 'scripts', 'demo.js')], { cwd: appDir, env, detached: true });
    let out = '';
    const read = (chunk: Buffer) => {
      // The build before the start can print megabytes: the end is what matters.
      out = (out + chunk.toString()).slice(-20_000);
      const url = out.match(/Admin:\s+(http:\/\/\S+)/);
      if (url) resolve({ child, eventPath: new URL(url[1]).pathname });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      if (code === 0 && extra.DEMO_NO_START === '1') resolve({ child, eventPath: '' });
      else reject(new Error(`the demo exited with ${code} before it was ready:\n${out.slice(-3000)}`));
    });
  });

/**
 * Loads the app in this process on the demo's database and public folder, with the demo's .env,
 * runs `prepare` and shuts the app down again; this process's environment is left as found.
 */
const prepareDemo = async <T>(place: Place, prepare: (strapi: Core.Strapi) => Promise<T>): Promise<T> => {
  const before = { ...process.env };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dotenv = require('dotenv');
  const fromFile = fs.existsSync(path.join(appDir, '.env')) ? dotenv.parse(fs.readFileSync(path.join(appDir, '.env'))) : {};
  const env = { ...fromFile, ...demoEnv(place), LOG_LEVEL: 'error', CERTIFY_QUEUE_IN_PROCESS: 'false' };
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  let strapi: Core.Strapi | undefined;
  try {
    const { createStrapi } = require('@strapi/strapi');
    strapi = (await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load()) as Core.Strapi;
    return await prepare(strapi);
  } finally {
    await strapi?.destroy();
    for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
    Object.assign(process.env, before);
  }
};

/** The demo running, Chromium open and the demo admin signed in. */
export const openDemo = async <T = void>(options: DemoOptions<T> = {}): Promise<Demo<T>> => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-e2e-'));
  const publicDir = path.join(tmp, 'public');
  fs.mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  const place: Place = { port: await freePort(), tmp, schema: isPostgres() ? `e2e_${path.basename(tmp).slice(-6).toLowerCase()}` : null };
  const base = `http://127.0.0.1:${place.port}`;
  const removeAll = async () => {
    if (place.schema) await pgQuery(`DROP SCHEMA IF EXISTS "${place.schema}" CASCADE`);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  if (place.schema) await pgQuery(`CREATE SCHEMA "${place.schema}"`);
  let prepared = undefined as T;
  let started: { child: ChildProcess; eventPath: string };
  try {
    if (options.prepare) {
      await startDemo(place, { DEMO_NO_START: '1' });
      prepared = await prepareDemo(place, options.prepare);
    }
    started = await startDemo(place, options.prepare ? { DEMO_SKIP_BUILD: '1' } : {});
  } catch (err) {
    await removeAll();
    throw err;
  }
  const { child, eventPath } = started;
  const browser = await chromium.launch({
    executablePath: process.env.CERTIFY_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
  await page.goto(`${base}/admin/auth/login`);
  await page.fill('input[name="email"]', LOGIN.email);
  await page.fill('input[name="password"]', LOGIN.password);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
  return {
    base,
    eventPath,
    browser,
    page,
    pid: child.pid!,
    publicDir,
    prepared,
    async stop() {
      await browser.close();
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGTERM');
        await exited;
      }
      await removeAll();
    },
  };
};

/**
 * Where browser tests save their screenshots: docs/screenshots (the README's pictures) when run by
 * hand; under CI (CI=true) a temporary folder, so a CI run leaves the checkout as it found it.
 * CERTIFY_SCREENSHOTS_DIR overrides both.
 */
export const screenshotsDir = () => {
  const dir =
    process.env.CERTIFY_SCREENSHOTS_DIR ??
    (process.env.CI ? path.join(os.tmpdir(), 'certify-screenshots') : path.join(__dirname, '..', '..', 'docs', 'screenshots'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};
