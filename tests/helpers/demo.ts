/**
 * The app `npm run demo` starts (it rebuilds only what is stale and seeds the demo event), for the
 * browser tests: started in its own process group on a free port with its own SQLite file, and
 * an admin signed in through the real login page on the system's Chromium (playwright-core).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from './net';

const appDir = path.join(__dirname, '..', '..');
const LOGIN = { email: 'demo@certify.local', password: 'Certify-Demo-2026' };
// A stale admin build is rebuilt first (1–3 minutes here); the tests themselves take seconds.
export const BOOT_MS = 10 * 60_000;

export interface Demo {
  base: string;
  /** The demo event's admin page. */
  eventPath: string;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

/** Start the demo and resolve with the admin URL it prints. */
const startDemo = (port: number, tmp: string) =>
  new Promise<{ child: ChildProcess; eventPath: string }>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(tmp, 'e2e.db'),
      DEMO_RECORDS: '20',
      STRAPI_TELEMETRY_DISABLED: 'true',
      BROWSER: 'none',
    };
    // Jest's own test environment would make Strapi read test-only settings.
    delete env.NODE_ENV;
    delete env.DATABASE_URL;
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
    child.on('exit', (code) => reject(new Error(`the demo exited with ${code} before it was ready:\n${out.slice(-3000)}`)));
  });

/** The demo running, Chromium open and the demo admin signed in. */
export const openDemo = async (): Promise<Demo> => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, eventPath } = await startDemo(port, tmp);
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
    async stop() {
      await browser.close();
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGTERM');
        await exited;
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
};
