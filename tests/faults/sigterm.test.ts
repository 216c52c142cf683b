/**
 * SIGTERM to the web process (a Strapi server working its own queue) and to a worker in the
 * middle of a run, as an orchestrator stops them: from the signal on, readiness answers 503; the
 * web process, with time enough, finishes the batches in hand; the worker, with a deadline shorter
 * than a batch, hands its batches back. Both exit 0 within their deadline (plus Strapi's own
 * shutdown), no job stays claimed by a stopped process (the leases here are two minutes, so a job
 * not handed back would stay stuck), and once the rest is worked and the sweep has run, every
 * certificate exists once with no orphan.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/net';
import { createRecords, createTemplate, drain, JOB, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean } from '../fixtures/publish/ledger';
import { startServer, startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';

jest.setTimeout(600_000);

let app: TestApp;
const children: WorkerProcess[] = [];

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE_LEASE_MS: '120000', CERTIFY_QUEUE_RETRY_BASE_MS: '500' });
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill9();
  await app?.close();
});

const count = (uid: string, where: Record<string, unknown>) => app.strapi.db.query(uid).count({ where });
const heldBy = (child: WorkerProcess) => app.strapi.db.connection('certify_jobs').where('status', 'running').where('locked_by', 'like', `%:${child.child.pid}:%`).count({ n: '*' }).then(([r]: any) => Number(r.n));

/**
 * Readiness answers from the signal until the process stops answering, each with the milliseconds
 * since the signal was sent.
 */
function pollReadiness(port: number, signalled: number) {
  const answers: Array<{ status: number; ms: number }> = [];
  const done = (async () => {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/certify/health/ready`, { signal: AbortSignal.timeout(2000) });
        answers.push({ status: res.status, ms: Date.now() - signalled });
      } catch {
        return answers;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return done;
}

/**
 * Ready until the process has taken the signal (a request the event loop reaches before the
 * signal's callback is still answered 200), then 503 until it stops: a 200 only in the first
 * moments, never after a 503, and at least one 503.
 */
function expectNotReadyFromTheSignalOn(answers: Array<{ status: number; ms: number }>) {
  const firstNotReady = answers.findIndex((a) => a.status === 503);
  expect(firstNotReady).toBeGreaterThanOrEqual(0);
  expect(answers.slice(firstNotReady).filter((a) => a.status !== 503)).toEqual([]);
  expect(answers.slice(0, firstNotReady).filter((a) => a.status !== 200 || a.ms > 1000)).toEqual([]);
}

it('SIGTERM mid-run: readiness 503, the web process finishes its batches, the worker hands its back, both exit 0', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 300);

  const [webPort, workerPort] = [await freePort(), await freePort()];
  const web = startServer({ CERTIFY_QUEUE_IN_PROCESS: 'true', PORT: String(webPort), CERTIFY_SHUTDOWN_MS: '120000' });
  const worker = startWorker({ CERTIFY_WORKER_HEALTH_PORT: String(workerPort), CERTIFY_WORKER_HEALTH_HOST: '127.0.0.1', CERTIFY_SHUTDOWN_MS: '300' });
  children.push(web, worker);
  await Promise.all([web.ready, worker.ready]);
  // Six batches for the two processes' six lanes, published once both are up: each takes some.
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);

  // Both are in the middle of batches.
  await waitFor('both processes holding batches', async () => (await heldBy(web)) > 0 && (await heldBy(worker)) > 0, 120_000, 25);
  const signalled = Date.now();
  web.child.kill('SIGTERM');
  worker.child.kill('SIGTERM');
  const [webAnswers, workerAnswers] = await Promise.all([pollReadiness(webPort, signalled), pollReadiness(workerPort, signalled)]);
  const [webCode, workerCode] = await Promise.all([web.exited, worker.exited]);
  const seconds = (Date.now() - signalled) / 1000;

  expect({ webCode, workerCode }).toEqual({ webCode: 0, workerCode: 0 });
  expect(web.output()).not.toMatch(/handed back/);
  expect(worker.output()).toMatch(/job\(s\) not finished within 300 ms handed back/);
  // From the signal on, readiness is 503 until the process stops answering.
  expectNotReadyFromTheSignalOn(webAnswers);
  expectNotReadyFromTheSignalOn(workerAnswers);
  expect(seconds).toBeLessThan(60);
  // Nothing is left claimed by a stopped process: finished or handed back.
  expect(await count(JOB, { event: eventId, status: 'running' })).toBe(0);

  // The rest is worked here; the worker cut short may have stored files it never committed.
  await drain(app.strapi);
  const run = await waitForFinishedRun(app.strapi, eventId, 60_000);
  expect(run).toMatchObject({ total: 300, done: 300, failed: 0, remaining: 0 });
  // No attempt was spent by the shutdown: batches finished (their Chromium kept until then) or
  // handed back uncounted.
  const attempts = await app.strapi.db.connection('certify_jobs').where({ event: eventId, kind: 'render' }).pluck('attempts');
  expect(Math.max(...attempts)).toBe(1);
  const swept = await svc(app.strapi, 'orphans').sweep({ graceMs: 0 });
  expect(swept.names.every((n: string) => !/^certify-readiness/.test(n))).toBe(true);
  await expectWholeAndClean(app.strapi, eventId, 300);
});
