/**
 * The designer in a real browser: the built admin, served by the app `npm run demo` starts (it
 * rebuilds only what is stale and seeds the demo event), driven through the real login page by
 * playwright-core on the system's Chromium. Pointer drags go through the same events a person's
 * mouse makes, so this covers what the reducer tests cannot: the canvas's pixel-to-mm scale, the
 * snapping distance on screen and the toolbar wiring.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { BOOT_MS, openDemo, screenshotsDir, type Demo } from '../helpers/demo';
import { pdfFonts, poppler } from '../fixtures/render/pdf';

const appDir = path.join(__dirname, '..', '..');
const shots = screenshotsDir();

let demo: Demo;
let page: Page;
let base: string;
let eventPath: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-e2e-designer-'));

beforeAll(async () => {
  demo = await openDemo();
  ({ page, base, eventPath } = demo);
  await page.goto(`${base}${eventPath}?tab=certificate`);
  await page.getByRole('button', { name: 'Design', exact: true }).first().click();
  await page.waitForSelector('div[title="name"]');
}, BOOT_MS);

afterAll(async () => {
  await demo?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Box = { x: number; y: number; width: number; height: number };

/** An element's box on screen, relative to the page it sits on. */
const boxOf = (id: string): Promise<Box> =>
  page.locator(`div[title="${id}"]`).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const p = (el.parentElement as HTMLElement).getBoundingClientRect();
    return { x: r.left - p.left, y: r.top - p.top, width: r.width, height: r.height };
  });

const pageSize = () =>
  page.locator('div[title="name"]').evaluate((el) => {
    const p = (el.parentElement as HTMLElement).getBoundingClientRect();
    return { width: p.width, height: p.height };
  });

/** Drag an element by (dx, dy) screen pixels in several pointer moves, as a hand would. */
const drag = async (id: string, dx: number, dy: number, { free = false } = {}) => {
  const r = (await page.locator(`div[title="${id}"]`).boundingBox())!;
  const from = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  await page.mouse.move(from.x, from.y);
  if (free) await page.keyboard.down('Alt');
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 8 });
  await page.mouse.up();
  if (free) await page.keyboard.up('Alt');
};

/** Waits for the canvas to show `id` where `expected` says, within a pixel. */
const expectAt = async (id: string, expected: Partial<Box>) => {
  await page.waitForFunction(
    ([sel, want]) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const p = (el.parentElement as HTMLElement).getBoundingClientRect();
      const got: Record<string, number> = { x: r.left - p.left, y: r.top - p.top };
      return Object.entries(want).every(([k, v]) => Math.abs(got[k] - (v as number)) <= 1);
    },
    [`div[title="${id}"]`, expected] as const,
    { timeout: 5_000 }
  );
  const got = await boxOf(id);
  for (const [k, v] of Object.entries(expected)) expect(Math.abs(got[k as keyof Box] - (v as number))).toBeLessThanOrEqual(1);
};

/** Ids of the elements on the canvas, top to bottom. */
const elementIds = async () => {
  const ids = await page.locator('div[title]').evaluateAll((els) => els.filter((e) => e.parentElement?.getAttribute('role') === 'presentation').map((e) => e.getAttribute('title')!));
  const boxes = await Promise.all(ids.map(async (id) => ({ id, box: await boxOf(id) })));
  return boxes.sort((a, b) => a.box.y - b.box.y);
};

describe('the template designer in a browser', () => {
  it('undoes a drag back to where the element was, and redoes it', async () => {
    const before = await boxOf('name');
    await drag('name', 60, 40, { free: true });
    const moved = { x: before.x + 60, y: before.y + 40 };
    await expectAt('name', moved);

    await page.getByRole('button', { name: 'Undo (Ctrl+Z)' }).click();
    await expectAt('name', { x: before.x, y: before.y });
    await page.getByRole('button', { name: 'Redo (Ctrl+Shift+Z)' }).click();
    await expectAt('name', moved);
    await page.getByRole('button', { name: 'Undo (Ctrl+Z)' }).click();
    await expectAt('name', { x: before.x, y: before.y });
  });

  it('snaps an element dragged near another element’s left edge onto that edge', async () => {
    const elements = await elementIds();
    // Two elements that do not already share a left edge, the mover above the target.
    const target = elements.find((e) => e.id !== 'name' && Math.abs(e.box.x - elements.find((n) => n.id === 'name')!.box.x) > 20)!;
    expect(target).toBeDefined();
    const mover = await boxOf('name');
    // 4 px short of the target's edge, well inside the 6 px the canvas snaps across.
    const dx = target.box.x + 4 - mover.x;
    await drag('name', dx, 0);
    await expectAt('name', { x: target.box.x });
    await page.screenshot({ path: path.join(shots, 'e2e-designer-snap.png') });
  });

  it('centres the selected element on the page', async () => {
    await page.locator('div[title="name"]').click();
    await page.getByRole('button', { name: 'Centre on page' }).click();
    const size = await pageSize();
    const box = await boxOf('name');
    await expectAt('name', { x: (size.width - box.width) / 2, y: (size.height - box.height) / 2 });
    await page.screenshot({ path: path.join(shots, 'e2e-designer-centred.png') });
  });

  it('lets the organiser choose what a photo frame shows for a record without a photo: a placeholder they upload', async () => {
    await page.getByRole('button', { name: 'Photo', exact: true }).click();
    // The new element is selected: its inspector offers the fallback, hiding the frame by default.
    const fallback = page.getByRole('combobox', { name: 'Without a photo' });
    await expect(fallback.textContent()).resolves.toContain('Hide the frame');
    await fallback.click();
    await page.getByRole('option', { name: 'Show a placeholder image' }).click();
    await page.getByText('Pick the image shown to records without a photo.').waitFor();

    const file = path.join(tmp, 'placeholder.png');
    await sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 240, g: 200, b: 20 } } }).png().toFile(file);
    await page.locator('input[aria-label="Upload placeholder"]').setInputFiles(file);
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="photo-placeholder"] img') as HTMLImageElement | null;
      return Boolean(img && img.complete && img.naturalWidth === 300);
    });
    await expect(page.getByText('Pick the image shown to records without a photo.').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(shots, 'e2e-designer-photo-fallback.png') });
  });
});

describe('the canvas shows what the certificate prints', () => {
  /** A canvas text element's text as shown (innerText applies text-transform, as the PDF prints it). */
  const canvasText = (id: string) => page.locator(`[data-canvas-text="${id}"]`).evaluate((el) => (el as HTMLElement).innerText);
  /** The loaded FontFace of a family, or why not: the canvas must draw with the render's font file, not a look-alike. */
  const fontState = (id: string, family: string) =>
    page.locator(`[data-canvas-text="${id}"]`).evaluate(
      (el, fam) => ({
        computed: getComputedStyle(el).fontFamily,
        loaded: [...document.fonts].some((f) => f.family.replace(/["']/g, '') === fam && f.status === 'loaded'),
        check: document.fonts.check(`${getComputedStyle(el).fontWeight} 16px "${fam}"`),
      }),
      family
    );

  it('marks a record edited by hand in the list and in its dialog, and shows its empty category as the PDF does: nothing, in the render’s fonts', async () => {
    // Edit a finisher by hand: clear the category.
    await page.goto(`${base}${eventPath}?tab=records`);
    const finisher = page.getByRole('row').filter({ hasText: /\d:\d\d:\d\d/ }).first();
    await finisher.waitFor({ timeout: 30_000 });
    await finisher.getByRole('button', { name: 'Edit' }).click();
    const bib = /Edit record (\S+)/.exec((await page.getByRole('heading', { name: /^Edit record / }).textContent()) ?? '')![1];
    await page.getByRole('textbox', { name: 'Category', exact: true }).fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // The list marks the record; the mark names the edited field and when.
    const row = page.getByRole('row').filter({ has: page.locator('td').filter({ hasText: new RegExp(`^${bib}$`) }) });
    const mark = row.getByRole('img', { name: /^Edited by hand .+: Category$/ });
    await mark.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('img', { name: /^Edited by hand/ }).count()).toBe(1);
    await mark.hover();
    await expect(page.getByRole('tooltip').textContent()).resolves.toMatch(/Edited by hand .+: Category/);
    await page.screenshot({ path: path.join(shots, 'e2e-records-hand-edit.png') });

    // Its dialog says which fields were edited by hand, on the field itself too.
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByText(/Edited by hand .+: Category\. An import keeps these values/).waitFor();
    const description = (name: string) =>
      page.getByRole('textbox', { name, exact: true }).evaluate((el) =>
        (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
      );
    await expect(description('Category')).resolves.toContain('Edited by hand');
    await expect(description('Full name')).resolves.not.toContain('Edited by hand');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // The designer, showing that record.
    await page.goto(`${base}${eventPath}?tab=certificate`);
    await page.getByRole('button', { name: 'Design', exact: true }).first().click();
    await page.getByRole('textbox', { name: 'Preview for bib or name' }).fill(bib);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText(`(bib ${bib}).`).waitFor({ timeout: 30_000 });

    // A text element bound to the category, in a handwriting font.
    await page.getByRole('button', { name: 'Text', exact: true }).click();
    await page.getByRole('combobox', { name: 'Field', exact: true }).click();
    await page.getByRole('option', { name: 'category', exact: true }).click();
    await page.getByRole('combobox', { name: 'Font', exact: true }).click();
    await page.getByRole('option', { name: 'Great Vibes', exact: true }).click();
    // "Scan to verify" (regular weight: a bolder one is synthesised, which the PDF embeds without a name).
    await page.locator('div[title="verify"]').click();
    await page.getByRole('combobox', { name: 'Font', exact: true }).click();
    await page.getByRole('option', { name: 'Great Vibes', exact: true }).click();
    const added = (await elementIds()).map((e) => e.id).find((id) => id.startsWith('text'))!;

    // The rank line of a record without a category stops after the category rank, as the render's {{#if category}} says.
    await page.waitForFunction(
      ([b]) => /overall · \d+\S*$/.test((document.querySelector('[data-canvas-text="rank"]') as HTMLElement | null)?.innerText ?? '') && document.querySelector('[data-canvas-text="bib"]')?.textContent === `Bib ${b}`,
      [bib] as const,
      { timeout: 15_000 }
    );
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-canvas-text="verify"]')!).fontFamily.startsWith('"Great Vibes"'));
    expect(await canvasText(added)).toBe('');

    // The same fonts as the render, loaded from its files: Great Vibes (script), Playfair Display, EB Garamond (the design's default).
    for (const [id, family] of [['verify', 'Great Vibes'], ['title', 'Playfair Display'], ['rank', 'EB Garamond']] as const) {
      await page.waitForFunction(
        (fam) => [...document.fonts].some((f) => f.family.replace(/["']/g, '') === fam && f.status === 'loaded'),
        family,
        { timeout: 15_000 }
      );
      const state = await fontState(id, family);
      expect(state.computed.startsWith(`"${family}"`)).toBe(true);
      expect(state).toMatchObject({ loaded: true, check: true });
    }
    await page.screenshot({ path: path.join(shots, 'e2e-designer-canvas-texts.png') });

    // The render of the same draft for the same record: the PDF proof.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'PDF proof' }).click()]);
    const pdf = fs.readFileSync((await download.path())!);
    const printed = poppler('pdftotext', pdf).replace(/\s+/g, '');
    // Right-to-left names come out of pdftotext in visual order: for those, every letter must be printed as often.
    const lettersIn = (text: string) => [...text].reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());
    for (const id of ['title', 'event', 'name', 'time', 'rank', 'bib', 'verify']) {
      const shown = (await canvasText(id)).replace(/\s+/g, '');
      expect(shown).not.toBe('');
      if (!/[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(shown)) expect(printed).toContain(shown);
      else for (const [c, n] of lettersIn(shown)) expect(lettersIn(printed).get(c) ?? 0).toBeGreaterThanOrEqual(n);
    }
    expect(printed).not.toMatch(/\{category\}/);
    expect(pdfFonts(pdf).map((f) => f.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^GreatVibes/), expect.stringMatching(/^PlayfairDisplay/), expect.stringMatching(/^EBGaramond/)]));
  });
});

describe('the admin in the user’s language', () => {
  /** Picks the interface language on the user's profile page, as a person would, and saves it. */
  const chooseLanguage = async (current: RegExp, language: string) => {
    await page.goto(`${base}/admin/me`);
    await page.getByRole('combobox', { name: current }).click();
    await page.getByRole('option', { name: language }).click();
    await page.getByRole('button', { name: /^(Save|Speichern|Enregistrer)$/ }).click();
    await page.waitForTimeout(500);
  };

  it('shows Certify in German once the user picks Deutsch, and in English again after', async () => {
    await chooseLanguage(/Interface language/, 'Deutsch');
    await page.goto(`${base}${eventPath}?tab=overview`);
    await page.getByRole('tablist', { name: 'Certify-Bereiche' }).waitFor({ timeout: 30_000 });
    for (const tab of ['Übersicht', 'Zertifikat', 'Datensätze', 'Veröffentlichen']) {
      expect(await page.getByRole('tab', { name: tab }).count()).toBe(1);
    }
    await page.screenshot({ path: path.join(shots, 'e2e-admin-german.png') });

    await chooseLanguage(/Sprache der Oberfläche/, 'English');
    await page.goto(`${base}${eventPath}?tab=overview`);
    await page.getByRole('tablist', { name: 'Certify sections' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('tab', { name: 'Overview' }).count()).toBe(1);
  });
});
