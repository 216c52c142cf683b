/**
 * Certificate emails through Strapi's email plugin (nodemailer) to a real SMTP server started
 * here: once per record version even when the send is retried, failures recorded and retryable,
 * and no header injection through names or subject templates.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { createRecords, createTemplate, drain, RECORD, svc } from '../fixtures/publish/helpers';

jest.setTimeout(180_000);

let app: TestApp;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  app = await setupApp({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_IGNORE_TLS: 'true', CERTIFY_QUEUE_IN_PROCESS: 'false' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const headerBlock = (raw: string) => raw.split(/\r?\n\r?\n/)[0];
const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));

it('a publish with email sends each certificate once, with the PDF attached, even when sends are retried', async () => {
  const event = await app.createEvent({ name: 'Email Marathon' });
  await createTemplate(app.strapi, event.documentId);
  const records = await createRecords(app.strapi, event.documentId, 3, (i) => ({ email: `runner${i}@example.com` }));
  const res = await app.admin('post', `/certify/events/${event.documentId}/publish`).send({
    email: true,
    emailSubject: 'Certificate of {{name}}',
  });
  expect(res.status).toBe(201);
  await drain(app.strapi);
  for (const i of [1, 2, 3]) {
    const got = mailsTo(`runner${i}@example.com`);
    expect(got).toHaveLength(1);
    expect(got[0].raw).toMatch(/Content-Type: application\/pdf/);
    expect(headerBlock(got[0].raw)).toMatch(/Subject: (Certificate of|=\?UTF-8\?Q\?Certificate_of)/);
  }
  const stored = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId } });
  expect(stored.every((r: any) => r.emailStatus === 'sent' && r.emailedHash === r.renderedHash)).toBe(true);
  const progress = await svc(app.strapi, 'publish').current(event.documentId);
  expect(progress.emails).toMatchObject({ sent: 3, failed: 0 });

  // A duplicated job, a retried send and the admin's "send" button: none sends the version again.
  const target = records[0];
  const version = stored.find((r: any) => r.documentId === target.documentId).renderedHash;
  await app.strapi.db.connection('certify_jobs').where({ kind: 'email', record_id: target.documentId }).update({ status: 'queued' });
  await drain(app.strapi);
  expect(await svc(app.strapi, 'delivery').send(target.documentId)).toEqual({ status: 'already-sent' });
  const again = await app.admin('post', `/certify/events/${event.documentId}/records/${target.documentId}/email`);
  expect(again.status).toBe(200);
  expect(again.body.data.status).toBe('already-sent');
  expect(mailsTo('runner1@example.com')).toHaveLength(1);
  expect(version).toBeTruthy();
});

it('a rejected send is recorded on the record and can be retried', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  const [record] = await createRecords(app.strapi, event.documentId, 1, () => ({ email: 'bounce@example.com' }));
  smtp.rejectWith = 550;
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({ email: true });
  await drain(app.strapi);
  let stored = await app.strapi.db.query(RECORD).findOne({ where: { documentId: record.documentId } });
  expect(stored.emailStatus).toBe('bounced');
  expect(stored.emailError).toMatch(/Mailbox unavailable/);
  expect(stored.emailedHash).toBeNull();
  expect((await svc(app.strapi, 'publish').current(event.documentId)).emails.failed).toBe(1);
  expect(mailsTo('bounce@example.com')).toHaveLength(0);

  smtp.rejectWith = null;
  const res = await app.admin('post', `/certify/events/${event.documentId}/records/${record.documentId}/email`);
  expect(res.body.data).toEqual({ status: 'sent' });
  stored = await app.strapi.db.query(RECORD).findOne({ where: { documentId: record.documentId } });
  expect(stored).toMatchObject({ emailStatus: 'sent', emailError: null });
  expect(mailsTo('bounce@example.com')).toHaveLength(1);
});

it('CR/LF in names and subject templates cannot inject headers', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 1, () => ({
    email: 'eve@example.com',
    name: 'Eve\r\nBcc: attacker@evil.example\r\nX-Injected: name',
  }));
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({
    email: true,
    emailSubject: 'Hello {{name}}\r\nX-Injected: subject',
  });
  await drain(app.strapi);
  const [mail] = mailsTo('eve@example.com');
  expect(mail).toBeTruthy();
  expect(mail.to).toEqual(['eve@example.com']);
  expect(smtp.messages.some((m) => m.to.includes('attacker@evil.example'))).toBe(false);
  const headers = headerBlock(mail.raw);
  expect(headers).not.toMatch(/^X-Injected:/im);
  expect(headers).not.toMatch(/^Bcc:/im);
});
