/**
 * The SMTP server down while a publish with email runs, then up again (a real SMTP server of this
 * test's own, on a port that refuses connections until it starts): the sends are retried with
 * backoff instead of failing, and once the server answers every participant gets exactly one email
 * with their certificate; the certificates themselves are whole, with no orphan.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/net';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { createRecords, createTemplate, RECORD, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean } from '../fixtures/publish/ledger';

jest.setTimeout(600_000);

let app: TestApp;
let smtp: TestSmtp | null = null;
let port = 0;
const messages: TestSmtp['messages'] = [];

beforeAll(async () => {
  port = await freePort();
  // Ten attempts 1, 2, 4, 4, … s apart (jittered): the queue keeps trying for about half a minute.
  app = await setupApp({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    SMTP_IGNORE_TLS: 'true',
    CERTIFY_QUEUE_RETRY_BASE_MS: '1000',
    CERTIFY_QUEUE_RETRY_MAX_MS: '4000',
    CERTIFY_QUEUE_ATTEMPTS: '10',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

it('SMTP down, then up: every email sent once when it is back, none lost, none failed', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 40, (i) => ({ email: `runner${i}@example.com` }));
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({ email: true })).status).toBe(201);

  // Every certificate is stored and every send was tried twice and refused (nothing listens).
  const emailJobs = () => app.strapi.db.connection('certify_jobs').where({ event: eventId, kind: 'email' });
  await waitFor(
    'every send tried twice while SMTP is down',
    async () => {
      const jobs = await emailJobs();
      return jobs.length === 40 && jobs.every((j: any) => j.attempts >= 2);
    },
    300_000,
    100
  );
  let jobs = await emailJobs();
  expect(jobs.filter((j: any) => !['queued', 'running'].includes(j.status)).map((j: any) => [j.status, j.last_error])).toEqual([]);
  expect(jobs.find((j: any) => j.last_error).last_error).toMatch(/ECONNREFUSED/);
  const waiting = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, select: ['emailStatus', 'status'] });
  expect(waiting.filter((r: any) => !(r.status === 'published' && r.emailStatus === 'queued'))).toEqual([]);
  expect(messages).toHaveLength(0);

  smtp = await startSmtp(port, messages);
  const run = await waitForFinishedRun(app.strapi, eventId, 120_000);
  expect(run).toMatchObject({ total: 40, done: 40, failed: 0, emails: { queued: 0, sent: 40, failed: 0 } });
  jobs = await emailJobs();
  expect(jobs.every((j: any) => j.status === 'done')).toBe(true);
  // One email per participant, none lost, none twice.
  for (let i = 1; i <= 40; i++) expect([i, messages.filter((m) => m.to.includes(`runner${i}@example.com`)).length]).toEqual([i, 1]);
  expect(messages).toHaveLength(40);
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId } });
  expect(records.filter((r: any) => !(r.emailStatus === 'sent' && r.emailedHash === r.renderedHash && r.emailError === null))).toEqual([]);
  expect(await svc(app.strapi, 'publish').current(eventId)).toMatchObject({ status: 'finished' });
  await expectWholeAndClean(app.strapi, eventId, 40);
});
