/**
 * Pre-flight in a real browser (the demo app, see helpers/demo.ts): a record without a name is
 * listed above "Publish N" as a certificate that would show an empty field, its link opens the
 * Records tab searched for its bib, and the organiser can still publish: the confirmation says
 * that the problems will be published as they are.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BOOT_MS, openDemo, type Demo } from '../helpers/demo';

const shots = path.join(__dirname, '..', '..', 'docs', 'screenshots');

let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await openDemo();
  page = demo.page;
}, BOOT_MS);

afterAll(async () => {
  await demo?.stop();
});

it('lists a record whose certificate would show an empty name, links to it, and lets the organiser publish anyway', async () => {
  // A record without a name: the demo template prints {{name}} on every certificate.
  await page.goto(`${demo.base}${demo.eventPath}?tab=records`);
  await page.getByRole('button', { name: 'Add record' }).click();
  await page.getByRole('textbox', { name: 'Bib', exact: true }).fill('9999');
  await page.getByRole('textbox', { name: 'Finish time (h:mm:ss)' }).fill('4:44:44');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('row').filter({ hasText: '9999' }).waitFor({ timeout: 30_000 });

  await page.goto(`${demo.base}${demo.eventPath}?tab=publish`);
  const panel = page.getByLabel('Pre-flight check');
  await panel.getByText(/1 certificate would show an empty field/).waitFor({ timeout: 60_000 });
  await panel.getByText('name: name').first().waitFor();
  await page.screenshot({ path: path.join(shots, 'e2e-preflight.png') });

  // The link opens the record in the Records tab.
  await panel.getByRole('link', { name: 'Bib 9999' }).click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'records' && url.searchParams.get('q') === '9999');
  await page.getByRole('row').filter({ hasText: '9999' }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('row').filter({ hasText: 'Papadopoulou' }).count()).toBe(0);

  // Publishing anyway stays possible; the confirmation says what will happen.
  await page.goto(`${demo.base}${demo.eventPath}?tab=publish`);
  await page.getByRole('button', { name: /^Publish \d+$/ }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByText(/The pre-flight check found problems on 1 certificate/).waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText(/Run in progress|Last run/).first().waitFor({ timeout: 60_000 });
});
