import type { Core } from '@strapi/strapi';
import crypto from 'node:crypto';
import { TABLE } from '../../constants';
import { newDocumentId } from '../../utils/hash';
import { withoutServerPaths } from '../../utils/redact';

/**
 * The job table. Only the queue service imports this file: it is the one writer of job state.
 * A worker claims a batch by stamping it with a unique token and a lease (`locked_by`,
 * `locked_until`); a job whose lease ran out (its worker crashed) is claimable again, so a
 * restarted or second worker takes it over. A job given back for a retry waits until `run_at`.
 */
export type JobKind = 'render' | 'image' | 'email';

export interface JobRow {
  id: number;
  event: string;
  run: string | null;
  kind: JobKind;
  record_id: string;
  version: string | null;
  key: string;
  status: string;
  attempts: number;
  locked_by: string | null;
  last_error: string | null;
  /** 0: bulk work; above 0: a live change (a pushed result, a correction), claimed first. */
  priority: number;
}

/**
 * Which jobs a claim may take: `live` only jobs with a priority, `bulk` any job oldest first.
 * `liveFirst`: the live jobs if there are some (and then only them, however few: a lone finisher
 * is not made to wait for a batch of bulk work to render with it), else bulk work. `bulkFirst`:
 * the other way round (the local loop's bulk lanes, which leave live work to the live lane unless
 * there is nothing else to do).
 */
export type ClaimLane = 'live' | 'bulk' | 'liveFirst' | 'bulkFirst';

/**
 * What the work of one job came to, as the worker of its kind reports it; the queue records it.
 * `retry`: a passing failure (storage, Chromium), worked again after a backoff.
 */
export type JobOutcome = { id: number; status: 'done' | 'failed' | 'retry' | 'cancelled'; error?: string | null };

type Knex = Core.Strapi['db']['connection'];

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';
// The message reaches the record's lastError (the admin): no server paths in it.
const clip = (error: string | null | undefined) => (error ? withoutServerPaths(String(error)).slice(0, 2000) : null);

export const newToken = (workerId: string) => `${workerId}#${crypto.randomBytes(6).toString('hex')}`;

/** Claims up to `limit` due jobs (of `ids` only, when given) for `token`; `only` filters by kind of work. */
async function claim(strapi: Core.Strapi, token: string, limit: number, leaseMs: number, ids: number[] | undefined, only: 'live' | 'bulk' | null): Promise<JobRow[]> {
  const knex = strapi.db.connection;
  const now = new Date();
  const sub = knex(TABLE.job)
    .select('id')
    .where((q) =>
      q
        .where((due) => due.where('status', 'queued').where((t) => t.whereNull('run_at').orWhere('run_at', '<=', now)))
        .orWhere((stale) => stale.where('status', 'running').where('locked_until', '<', now))
    )
    .orderBy('id')
    .limit(limit);
  if (ids) sub.whereIn('id', ids);
  if (only === 'live') sub.where('priority', '>', 0);
  if (only === 'bulk') sub.where((q) => q.where('priority', 0).orWhereNull('priority'));
  // PostgreSQL: workers in several processes must not claim the same rows; SQLite has one writer.
  if (isPostgres(strapi)) sub.forUpdate().skipLocked();
  // SQLite: an UPDATE takes the database's write lock even when it matches nothing, and idle lanes
  // claim every second. A worker process idling beside the server would then make the server's
  // read-then-write transactions (an admin saving a document) fail with "database is locked".
  else if (!(await sub.clone().first())) return [];
  await knex(TABLE.job)
    .whereIn('id', sub)
    .update({
      status: 'running',
      locked_by: token,
      locked_until: new Date(now.getTime() + leaseMs),
      attempts: knex.raw('attempts + 1'),
      updated_at: now,
    });
  return knex(TABLE.job).where({ locked_by: token, status: 'running' }).orderBy('id');
}

export async function claimJobs(
  strapi: Core.Strapi,
  token: string,
  limit: number,
  leaseMs: number,
  ids?: number[],
  lane: ClaimLane = 'bulk'
): Promise<JobRow[]> {
  if (lane === 'live') return claim(strapi, token, limit, leaseMs, ids, 'live');
  if (lane === 'bulk') return claim(strapi, token, limit, leaseMs, ids, null);
  const [first, then] = lane === 'liveFirst' ? (['live', null] as const) : (['bulk', 'live'] as const);
  const got = await claim(strapi, token, limit, leaseMs, ids, first);
  return got.length ? got : claim(strapi, token, limit, leaseMs, ids, then);
}

export async function extendLease(strapi: Core.Strapi, token: string, leaseMs: number) {
  await strapi.db
    .connection(TABLE.job)
    .where({ locked_by: token, status: 'running' })
    .update({ locked_until: new Date(Date.now() + leaseMs) });
}

/**
 * Writes outcomes, only for jobs this worker still holds (a taken-over job belongs to its new
 * worker). Jobs that share a status and message are written in one statement; a retry gets its
 * own `run_at`. Returns the retried jobs with the time they are due.
 */
export async function recordOutcomes(
  knex: Knex,
  token: string,
  outcomes: JobOutcome[],
  delayFor: (jobId: number) => number
): Promise<Array<{ id: number; runAt: Date }>> {
  const now = new Date();
  const retried: Array<{ id: number; runAt: Date }> = [];
  const groups = new Map<string, { status: JobOutcome['status']; error: string | null; ids: number[] }>();
  for (const o of outcomes) {
    if (o.status === 'retry') {
      const runAt = new Date(now.getTime() + delayFor(o.id));
      await knex(TABLE.job)
        .where({ id: o.id, locked_by: token })
        .update({ status: 'queued', locked_by: null, locked_until: null, run_at: runAt, last_error: clip(o.error), updated_at: now });
      retried.push({ id: o.id, runAt });
      continue;
    }
    const error = clip(o.error);
    const key = `${o.status}\u0000${error ?? ''}`;
    const group = groups.get(key) ?? { status: o.status, error, ids: [] };
    group.ids.push(o.id);
    groups.set(key, group);
  }
  for (const { status, error, ids } of groups.values()) {
    for (let i = 0; i < ids.length; i += 500) {
      // locked_by stays as a trace of who finished the job.
      await knex(TABLE.job)
        .whereIn('id', ids.slice(i, i + 500))
        .where({ locked_by: token })
        .update({ status, locked_until: null, last_error: error, updated_at: now });
    }
  }
  return retried;
}

/**
 * Inserts one job per (kind, record, version) for a run. A version already queued or done is not
 * added twice (unique key); a failed or cancelled one is queued again under this run.
 */
export async function insertJobs(
  strapi: Core.Strapi,
  runId: string | null,
  eventId: string,
  kind: JobKind,
  entries: Array<{ recordId: string; version: string }>,
  priority = 0
): Promise<number[]> {
  const knex = strapi.db.connection;
  const now = new Date();
  const ids: number[] = [];
  for (let i = 0; i < entries.length; i += 200) {
    const chunk = entries.slice(i, i + 200);
    const rows = chunk.map((e) => ({
      document_id: newDocumentId(),
      event: eventId,
      run: runId,
      kind,
      record_id: e.recordId,
      version: e.version,
      key: `${kind}:${e.recordId}:${e.version}`,
      status: 'queued',
      attempts: 0,
      priority,
      created_at: now,
      updated_at: now,
    }));
    await knex(TABLE.job).insert(rows).onConflict('key').ignore();
    const keys = rows.map((r) => r.key);
    // A version queued again takes this priority; a live change of one waiting as bulk work goes ahead.
    const settled = ['failed', 'cancelled', 'done'];
    await knex(TABLE.job).whereIn('key', keys).whereIn('status', priority > 0 ? ['queued', ...settled] : settled).update({ priority });
    await knex(TABLE.job)
      .whereIn('key', keys)
      .whereIn('status', ['failed', 'cancelled', 'done'])
      .update({ status: 'queued', run: runId, attempts: 0, locked_by: null, locked_until: null, run_at: null, last_error: null, updated_at: now });
    // Open jobs of these versions belong to this run from now on (one that a closed run still
    // held, if it was closed while they were being added, is counted where it is worked).
    await knex(TABLE.job).whereIn('key', keys).whereIn('status', ['queued', 'running']).update({ run: runId });
    const got = await knex(TABLE.job).whereIn('key', keys).whereIn('status', ['queued', 'running']).select('id');
    ids.push(...got.map((r: { id: number }) => r.id));
  }
  return ids;
}

/**
 * A stopping worker gives back the jobs it still holds (claims whose token starts with its id):
 * queued again at once, the attempt not counted, so another worker takes them over now rather
 * than when the lease runs out. Returns their ids.
 */
export async function releaseClaims(strapi: Core.Strapi, workerId: string): Promise<number[]> {
  const knex = strapi.db.connection;
  const held = await knex(TABLE.job).where('status', 'running').where('locked_by', 'like', `${workerId}#%`).select('id');
  const ids = held.map((r: { id: number }) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    await knex(TABLE.job)
      .whereIn('id', ids.slice(i, i + 500))
      .where('status', 'running')
      .where('locked_by', 'like', `${workerId}#%`)
      .update({
        status: 'queued',
        locked_by: null,
        locked_until: null,
        run_at: null,
        attempts: knex.raw('CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END'),
        updated_at: new Date(),
      });
  }
  return ids;
}

/** Cancels a run's jobs that no worker has started. */
export const cancelQueued = (strapi: Core.Strapi, runId: string) =>
  strapi.db.connection(TABLE.job).where({ run: runId, status: 'queued' }).update({ status: 'cancelled', updated_at: new Date() });

/** How many of these jobs are not finished yet (`running` only: held by a worker). */
export async function countOpen(strapi: Core.Strapi, where: { ids?: number[]; run?: string; running?: boolean }) {
  const q = strapi.db.connection(TABLE.job).whereIn('status', where.running ? ['running'] : ['queued', 'running']);
  if (where.ids) q.whereIn('id', where.ids);
  if (where.run) q.where({ run: where.run });
  const [row] = await q.count<Array<{ n: number | string }>>({ n: '*' });
  return Number(row?.n ?? 0);
}

/** The run's open jobs, as a subquery (`WHERE NOT EXISTS` it: the run has none). */
export const openJobsOf = (knex: Knex, runId: string) => knex(TABLE.job).select('id').where({ run: runId }).whereIn('status', ['queued', 'running']);

/** Counts of a run's jobs by kind and status (the run's progress). */
export async function countByStatus(strapi: Core.Strapi, runId: string) {
  const rows: Array<{ kind: string; status: string; n: number | string }> = await strapi.db
    .connection(TABLE.job)
    .where({ run: runId })
    .select('kind', 'status')
    .count({ n: '*' })
    .groupBy('kind', 'status');
  return (kind: JobKind, ...statuses: string[]) =>
    rows.filter((r) => r.kind === kind && (!statuses.length || statuses.includes(r.status))).reduce((s, r) => s + Number(r.n), 0);
}

/**
 * Jobs that should be in the queue's transport but may not be: due and queued, or running on a
 * lease that ran out. The bullmq driver announces these again (Redis restarted or flushed).
 */
export const dueJobs = (strapi: Core.Strapi, limit: number) => {
  const now = new Date();
  return strapi.db
    .connection(TABLE.job)
    .where((q) =>
      q
        .where((due) => due.where('status', 'queued').where((t) => t.whereNull('run_at').orWhere('run_at', '<=', now)))
        .orWhere((stale) => stale.where('status', 'running').where('locked_until', '<', now))
    )
    .orderBy('id')
    .limit(limit)
    .select<Array<{ id: number; attempts: number }>>('id', 'attempts');
};
