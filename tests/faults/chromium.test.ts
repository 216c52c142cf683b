/**
 * Chromium killed (SIGKILL of its main process) while a batch is rendering, twice in one run: the
 * batch in flight is retried after a short backoff on a relaunched Chromium, and afterwards every
 * record has exactly one current certificate, the media library holds exactly those files, and
 * storage holds nothing no row refers to.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, JOB, RECORD, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean } from '../fixtures/publish/ledger';

jest.setTimeout(600_000);

let app: TestApp;

beforeAll(async () => {
  // The server works the local queue itself, as in the default set-up.
  app = await setupApp({ CERTIFY_QUEUE_RETRY_BASE_MS: '500', CERTIFY_QUEUE_RETRY_MAX_MS: '2000' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const count = (uid: string, where: Record<string, unknown>) => app.strapi.db.query(uid).count({ where });

it('Chromium killed mid-batch: the batch is retried on a new Chromium, every certificate once, no orphan', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 150);
  const pool = svc(app.strapi, 'render').engine().pool;

  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  const killed: number[] = [];
  for (const after of [1, 60]) {
    // A batch is in Chromium: jobs are claimed, and the browser runs.
    const pid = await waitFor(
      `a batch rendering after ${after} certificates`,
      async () => {
        if ((await count(RECORD, { event: eventId, status: 'published' })) < after) return null;
        if ((await count(JOB, { event: eventId, status: 'running' })) === 0) return null;
        const p = pool.browserPid();
        return p && !killed.includes(p) ? p : null;
      },
      300_000,
      50
    );
    process.kill(pid, 'SIGKILL');
    killed.push(pid);
  }

  const run = await waitForFinishedRun(app.strapi, eventId, 400_000);
  expect(run).toMatchObject({ total: 150, done: 150, failed: 0, remaining: 0 });
  // The kills cost attempts (the batch in flight, of PDFs or of share images, was retried), and no
  // job needed more than a few.
  const jobs = await app.strapi.db.connection('certify_jobs').where({ event: eventId }).whereIn('kind', ['render', 'image']);
  expect(jobs.some((j: any) => j.attempts > 1)).toBe(true);
  expect(Math.max(...jobs.map((j: any) => j.attempts))).toBeLessThanOrEqual(3);
  expect(pool.browserPid()).not.toBeNull();
  expect(killed).not.toContain(pool.browserPid());
  await expectWholeAndClean(app.strapi, eventId, 150);
});
