/**
 * The participant's journey in a real browser, on a phone (390 px) and a laptop (1280 px): open the
 * finder page of a published event, search a name typed without its accents, see the certificate
 * and the photos, download the PDF, open the share page and check LinkedIn's add-to-profile link.
 * The participant pages are server-rendered, so this boots the app in-process (as the integration
 * tests do, no admin build), publishes for real with Chromium and serves it on 127.0.0.1.
 * Screenshots: docs/screenshots/participant-390.png, participant-1280.png, participant-share-390.png.
 */
import '../helpers/env';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser } from 'playwright-core';
import { setupApp, type TestApp } from '../helpers/app';
import { createTemplate, drain, RECORD } from '../fixtures/publish/helpers';
import { freePort } from '../helpers/net';
import { screenshotsDir } from '../helpers/demo';

const shots = screenshotsDir();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-e2e-participant-'));
// The worker process is shared with the other browser tests: leave its environment as found.
const envBefore = { ...process.env };

let app: TestApp;
let browser: Browser;
let base: string;
let slug: string;
let zoe: any;

async function uploadPhoto(name: string, hue: number, label: string) {
  const file = path.join(tmp, name);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><rect width="900" height="600" fill="hsl(${hue},55%,42%)"/>
    <text x="450" y="330" font-family="sans-serif" font-size="56" fill="#fff" text-anchor="middle">${label}</text></svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toFile(file);
  const [uploaded] = await app.strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name, alternativeText: label } },
    files: { filepath: file, originalFilename: name, mimetype: 'image/jpeg', size: fs.statSync(file).size },
  });
  return uploaded;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_PUBLIC_URL: base });
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));

  const event = await app.createEvent({ name: 'Athens Harbour Half Marathon', slug: `harbour-half-${port}` });
  slug = event.slug;
  await createTemplate(app.strapi, event.documentId);
  for (const [bib, name, category, finishTime] of [
    ['7', 'Zoë Müller', 'F35-44', '1:41:07'],
    ['8', 'Zoë Adams', 'F18-34', '1:55:30'],
    ['9', 'Thomas Müller', 'M45-54', '1:38:12'],
  ]) {
    await app.strapi.documents(RECORD as any).create({ data: { event: event.documentId, bib, name, category, finishTime } as any });
  }
  for (const [i, caption] of ['Kilometre 5', 'Finish line'].entries()) {
    const image = await uploadPhoto(`harbour-${i}.jpg`, 200 + i * 70, caption);
    await app.strapi.documents('api::photo.photo' as any).create({ data: { event: event.documentId, image: image.id, bibs: ['7'], caption } as any });
  }
  expect((await app.admin('post', `/certify/events/${event.documentId}/publish`).send({})).status).toBe(201);
  await drain(app.strapi);
  zoe = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '7' } });
  expect(zoe.status).toBe('published');

  browser = await chromium.launch({
    executablePath: process.env.CERTIFY_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
  Object.assign(process.env, envBefore);
});

describe.each([
  ['phone', { width: 390, height: 844 }, true],
  ['laptop', { width: 1280, height: 900 }, false],
])('on a %s', (_, viewport, isMobile) => {
  it('finds the certificate by a name typed without accents, downloads it, and shares it', async () => {
    const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile, acceptDownloads: true, locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/certificates/${slug}`);
      await page.getByRole('heading', { name: 'Athens Harbour Half Marathon' }).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('zoe muller');
      await page.getByRole('button', { name: 'Find my certificate' }).click();
      await page.waitForURL(/name=zoe\+muller/);

      // Exactly one certificate: Zoë Müller's (not Zoë Adams', not Thomas Müller's).
      await expect(page.locator('#count').textContent()).resolves.toBe('1 certificate found');
      const card = page.locator('.card.result');
      await expect(card.count()).resolves.toBe(1);
      await expect(card.locator('h2').textContent()).resolves.toBe('Zoë Müller');
      // The certificate's share image and both photos are on screen, loaded.
      const loaded = (selector: string) =>
        card.locator(selector).evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0));
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      await expect(loaded('img.share')).resolves.toEqual([true]);
      await expect(loaded('.photos img')).resolves.toEqual([true, true]);
      const shareBox = (await card.locator('img.share').boundingBox())!;
      expect(shareBox.width).toBeGreaterThan(viewport.width < 640 ? 250 : 200);
      expect(shareBox.x + shareBox.width).toBeLessThanOrEqual(viewport.width);
      // Nothing sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: path.join(shots, `participant-${viewport.width}.png`), fullPage: true });

      // Download the PDF.
      const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download PDF' }).click()]);
      const file = path.join(tmp, `download-${viewport.width}.pdf`);
      await download.saveAs(file);
      expect(download.suggestedFilename()).toBe('certificate-7.pdf');
      const pdf = fs.readFileSync(file);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);

      // The share page (the verify URL, also in the QR code).
      await card.getByRole('link', { name: 'Verify' }).click();
      await page.waitForURL(`${base}/verify/${zoe.verificationCode}`);
      await page.getByText('✓ Valid certificate').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('Zoë Müller');
      await expect(page.title()).resolves.toBe('Zoë Müller finished Athens Harbour Half Marathon in 1:41:07');
      await expect(page.locator('meta[property="og:image"]').getAttribute('content')).resolves.toBe(`${base}/api/certify/certificates/${zoe.verificationCode}/image`);

      const href = (await page.getByRole('link', { name: 'Add to LinkedIn profile' }).getAttribute('href'))!;
      const linkedIn = new URL(href);
      expect(`${linkedIn.origin}${linkedIn.pathname}`).toBe('https://www.linkedin.com/profile/add');
      const issued = new Date(zoe.certifiedAt);
      expect(Object.fromEntries(linkedIn.searchParams)).toEqual({
        startTask: 'CERTIFICATION_NAME',
        name: 'Athens Harbour Half Marathon — finisher certificate',
        organizationName: expect.stringMatching(/^Org-/),
        issueYear: String(issued.getUTCFullYear()),
        issueMonth: String(issued.getUTCMonth() + 1),
        certUrl: `${base}/verify/${zoe.verificationCode}`,
        certId: zoe.verificationCode,
      });
      // Copy link shows where the clipboard API exists (a secure context; 127.0.0.1 is one).
      await expect(page.locator('#copy-link').isVisible()).resolves.toBe(true);
      if (isMobile) await page.screenshot({ path: path.join(shots, 'participant-share-390.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
