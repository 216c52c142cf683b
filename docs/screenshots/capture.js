#!/usr/bin/env node
/**
 * Screenshots of the Certify admin panel for the README, taken with headless Chromium from a
 * running demo (`npm run demo`). Usage:
 *   CERTIFY_URL=http://127.0.0.1:1338 node docs/screenshots/capture.js
 * Env: CERTIFY_EMAIL / CERTIFY_PASSWORD (demo credentials by default), CHROMIUM_PATH.
 */
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.CERTIFY_URL ?? 'http://127.0.0.1:1337';
const EMAIL = process.env.CERTIFY_EMAIL ?? 'demo@certify.local';
const PASSWORD = process.env.CERTIFY_PASSWORD ?? 'Certify-Demo-2026';
const OUT = __dirname;
const ONLY = process.argv.slice(2);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page.on('pageerror', (err) => console.error('[page error]', err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon|Failed to load resource/.test(msg.text())) console.error('[console]', msg.text().slice(0, 300));
  });

  await page.goto(`${BASE}/admin/auth/login`, { waitUntil: 'networkidle' });
  await page.fill('input[name="email"]', EMAIL);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/admin(\/)?$|\/admin\/(?!auth)/, { timeout: 30_000 });
  // Strapi's "new Media Library" announcement banner is not part of Certify.
  await page.waitForTimeout(1000);
  await page.locator('button:has-text("Close the banner")').first().click({ timeout: 3000 }).catch(() => undefined);

  const shoot = async (name, url, { waitFor, after, fullPage = true, height = 900 } = {}) => {
    if (ONLY.length && !ONLY.includes(name)) return;
    // The admin scrolls inside its own container, so a taller viewport shows more of a page.
    await page.setViewportSize({ width: 1440, height });
    await page.goto(`${BASE}${url}`, { waitUntil: 'networkidle' });
    if (waitFor) await page.waitForSelector(waitFor, { timeout: 20_000 });
    if (after) await after(page);
    await page.waitForTimeout(600);
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    console.log(`saved ${file}`);
  };

  await shoot('event-picker', '/admin/plugins/certify', { waitFor: 'text=Athens Demo Marathon 2026' });
  const eventId = await page.evaluate(async () => {
    const token = JSON.parse(localStorage.getItem('jwtToken') ?? 'null') ?? document.cookie.match(/jwtToken=([^;]+)/)?.[1];
    const res = await fetch('/certify/events?search=Athens', { headers: { Authorization: `Bearer ${token}` } });
    return (await res.json()).results[0].documentId;
  });
  const ev = `/admin/plugins/certify/events/${eventId}`;
  await shoot('overview', `${ev}?tab=overview`, { waitFor: 'text=Certificate setup' });
  await shoot('certificate', `${ev}?tab=certificate`, {
    waitFor: 'text=Data sources',
    height: 1000,
    after: (p) => p.waitForSelector('text=Rendering', { state: 'detached', timeout: 30_000 }),
  });
  await shoot('designer', `${ev}?tab=certificate`, {
    height: 2050,
    waitFor: 'text=Data sources',
    after: async (p) => {
      await p.locator('button[aria-label="Design"], button:has-text("Design")').first().click();
      await p.waitForSelector('img[alt="Rendered certificate"]', { timeout: 30_000 });
      await p.locator('div[title="name"]').first().click().catch(() => undefined);
    },
  });
  await shoot('designer-html', `${ev}?tab=certificate`, {
    height: 1100,
    waitFor: 'text=Data sources',
    after: async (p) => {
      await p.locator('button[aria-label="Design"], button:has-text("Design")').first().click();
      await p.click('button:has-text("HTML/CSS")');
      await p.waitForSelector('text=Write the whole certificate');
      await p.waitForSelector('img[alt="Rendered certificate"]', { timeout: 30_000 });
      await p.waitForSelector('text=Rendering', { state: 'detached', timeout: 30_000 }).catch(() => undefined);
    },
  });
  await shoot('designer-media', `${ev}?tab=certificate`, {
    fullPage: false,
    waitFor: 'text=Data sources',
    after: async (p) => {
      await p.locator('button[aria-label="Design"], button:has-text("Design")').first().click();
      await p.click('button:has-text("Media library")');
      await p.waitForTimeout(2500);
    },
  });
  await shoot('record-edit', `${ev}?tab=records`, {
    fullPage: false,
    waitFor: 'text=Finish time',
    after: async (p) => {
      await p.locator('button:has-text("Edit")').first().click();
      await p.waitForSelector('text=Verification code');
    },
  });
  await shoot('records', `${ev}?tab=records&pageSize=10`, { waitFor: 'text=Finish time', height: 1150 });
  await shoot('records-import', `${ev}?tab=records`, {
    waitFor: 'text=Finish time',
    fullPage: false,
    after: async (p) => {
      await p.click('button:has-text("Import CSV")');
      await p.waitForSelector('text=Drop a results CSV here');
    },
  });
  await shoot('publish', `${ev}?tab=publish`, { waitFor: 'text=Publish certificates' });
  if (!ONLY.length || ONLY.includes('publish-progress')) {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${BASE}${ev}?tab=publish`, { waitUntil: 'networkidle' });
    await page.waitForSelector('text=Publish certificates');
    const publish = page.getByRole('button', { name: /^Publish [\d,]+$/ });
    if (await publish.count()) {
      await publish.first().click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Publish', exact: true }).click();
      await page.waitForSelector('text=Run in progress', { timeout: 30_000 });
      await page.waitForFunction(() => /Done\s*[1-9]/.test(document.body.innerText), null, { timeout: 60_000 }).catch(() => undefined);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(OUT, 'publish-progress.png') });
      console.log(`saved ${path.join(OUT, 'publish-progress.png')}`);
      await page.waitForSelector('text=Last run', { timeout: 300_000 });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(OUT, 'publish-done.png') });
      console.log(`saved ${path.join(OUT, 'publish-done.png')}`);
    }
  }
  const locked = await page.evaluate(async () => {
    const token = JSON.parse(localStorage.getItem('jwtToken') ?? 'null') ?? document.cookie.match(/jwtToken=([^;]+)/)?.[1];
    const res = await fetch('/certify/events?search=Triathlon', { headers: { Authorization: `Bearer ${token}` } });
    return (await res.json()).results[0]?.documentId;
  });
  if (locked) await shoot('locked', `/admin/plugins/certify/events/${locked}`, { waitFor: 'text=Certify is locked for this event' });

  // The first-time wizard, driven end to end against the real API on an event not set up yet.
  const fresh = await page.evaluate(async () => {
    const token = JSON.parse(localStorage.getItem('jwtToken') ?? 'null') ?? document.cookie.match(/jwtToken=([^;]+)/)?.[1];
    const headers = { Authorization: `Bearer ${token}` };
    const { results } = await (await fetch('/certify/events?pageSize=100', { headers })).json();
    for (const e of results.filter((x) => x.certifyEnabled)) {
      const { data } = await (await fetch(`/certify/events/${e.documentId}/setup-state`, { headers })).json();
      if (!data.hasSource) return e.documentId;
    }
    return null;
  });
  if (fresh && (!ONLY.length || ONLY.includes('setup'))) {
    const url = `/admin/plugins/certify/events/${fresh}?tab=setup`;
    await shoot('setup', url, { waitFor: 'text=How results arrive', height: 1100 });
    await page.click('button:has-text("Connect source")');
    await page.waitForSelector('button:has-text("Create template")');
    await page.click('button:has-text("Create template")');
    await page.waitForSelector('text=Drop a results CSV here');
    await page.setInputFiles('input[type="file"]', path.join(__dirname, 'sample-results.csv'));
    await page.click('button:has-text("Check the file")');
    await page.waitForSelector('text=Column mapping');
    await page.getByRole('combobox', { name: 'Full name' }).click();
    await page.getByRole('option', { name: 'Last, First' }).click();
    await page.click('button:has-text("Re-check with this mapping")');
    await page.waitForSelector('button:has-text("Import")');
    await page.waitForTimeout(800);
    await page.setViewportSize({ width: 1440, height: 1900 });
    await page.screenshot({ path: path.join(OUT, 'setup-import.png') });
    console.log(`saved ${path.join(OUT, 'setup-import.png')}`);
    await page.click('button:has-text("Import"):not(:has-text("CSV"))');
    await page.waitForSelector('role=tab[name="Certificate"]', { timeout: 20_000 });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(OUT, 'setup-done.png') });
    console.log(`saved ${path.join(OUT, 'setup-done.png')}`);
  }

  // A role with only the read action sees no editing, import or publish buttons.
  if (process.env.CERTIFY_VIEWER_EMAIL && (!ONLY.length || ONLY.includes('viewer'))) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const viewer = await ctx.newPage();
    await viewer.goto(`${BASE}/admin/auth/login`, { waitUntil: 'networkidle' });
    await viewer.fill('input[name="email"]', process.env.CERTIFY_VIEWER_EMAIL);
    await viewer.fill('input[name="password"]', process.env.CERTIFY_VIEWER_PASSWORD ?? '');
    await viewer.click('button[type="submit"]');
    await viewer.waitForURL(/\/admin(\/)?$|\/admin\/(?!auth)/, { timeout: 30_000 });
    await viewer.locator('button:has-text("Close the banner")').first().click({ timeout: 3000 }).catch(() => undefined);
    await viewer.goto(`${BASE}${ev}?tab=records`, { waitUntil: 'networkidle' });
    await viewer.waitForSelector('text=Finish time');
    await viewer.waitForTimeout(800);
    await viewer.screenshot({ path: path.join(OUT, 'viewer-records.png') });
    await viewer.goto(`${BASE}${ev}?tab=publish`, { waitUntil: 'networkidle' });
    await viewer.waitForSelector('text=Publish certificates');
    await viewer.waitForTimeout(800);
    await viewer.screenshot({ path: path.join(OUT, 'viewer-publish.png') });
    console.log('saved viewer-records.png, viewer-publish.png');
    await ctx.close();
  }

  await browser.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
