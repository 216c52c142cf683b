/**
 * The admin import in a real browser (the demo app, see helpers/demo.ts): a file whose bib column
 * is not recognised shows its columns and rows and lets the organiser pick it; a record edited by
 * hand is listed when the file would change it, and the organiser keeps or replaces the edit.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BOOT_MS, openDemo, screenshotsDir, type Demo } from '../helpers/demo';

const shots = screenshotsDir();

let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await openDemo();
  page = demo.page;
}, BOOT_MS);

afterAll(async () => {
  await demo?.stop();
});

const FILE = 'Nummer,Name,Zeit\n501,Ana Lima,1:00:00\n502,Ben Ode,1:05:00\n';

/** Opens the import from the Records tab and runs the dry run of FILE. */
const checkFile = async () => {
  await page.goto(`${demo.base}${demo.eventPath}?tab=records`);
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await page.locator('input[type="file"]').setInputFiles({ name: 'ergebnis.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE) });
  await page.getByRole('button', { name: 'Check the file', exact: true }).click();
};

const dialogClosed = () => page.getByRole('dialog', { name: 'Import results' }).waitFor({ state: 'hidden', timeout: 30_000 });

describe('the admin import in a browser', () => {
  it('shows a file without a recognised bib column and imports it once the organiser picks the column', async () => {
    await checkFile();
    await page.getByText('No column looks like the bib number').waitFor({ timeout: 30_000 });
    // The file's rows as written, in a table (the design system's grid cells).
    const dialog = page.getByRole('dialog', { name: 'Import results' });
    await dialog.getByText('Ana Lima', { exact: true }).waitFor();
    expect(await dialog.getByText('502', { exact: true }).count()).toBe(1);

    await page.getByRole('combobox', { name: 'Bib column' }).click();
    await page.getByRole('option', { name: 'Nummer' }).click();
    await page.screenshot({ path: path.join(shots, 'e2e-import-pick-bib.png') });
    await page.getByRole('button', { name: 'Check the file with this bib column' }).click();
    await page.getByRole('button', { name: 'Import 2 records' }).click();
    await dialogClosed();
    await page.getByRole('row').filter({ hasText: 'Ben Ode' }).waitFor({ timeout: 30_000 });
  });

  it('lists a record edited by hand that the file would change, keeps the edit by default and replaces it on request', async () => {
    // Edit the name of bib 502 in the record dialog.
    await page.getByRole('row').filter({ hasText: 'Ben Ode' }).getByRole('button', { name: 'Edit' }).click();
    const name = page.getByRole('textbox', { name: 'Full name' });
    await name.fill('Benjamin Ode');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'Benjamin Ode' }).waitFor({ timeout: 30_000 });

    // The same file again: its bib column is remembered, and the hand edit is listed.
    await checkFile();
    await page.getByText('Edited by hand (1): the file has other values').waitFor({ timeout: 30_000 });
    const edited = page.getByRole('row').filter({ hasText: '502' }).filter({ hasText: 'Full name' });
    expect(await edited.count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'e2e-import-hand-edits.png') });
    // Kept by default: nothing would change.
    expect(await page.getByRole('button', { name: 'Nothing to import' }).isDisabled()).toBe(true);

    await page.getByRole('combobox', { name: 'Records edited by hand' }).click();
    await page.getByRole('option', { name: 'Replace them with the file' }).click();
    await page.getByRole('button', { name: 'Import 1 records' }).click();
    await dialogClosed();
    await page.getByRole('row').filter({ hasText: 'Ben Ode' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('row').filter({ hasText: 'Benjamin Ode' }).count()).toBe(0);
  });
});
