import type { Core } from '@strapi/strapi';
import crypto from 'node:crypto';
import { TABLE } from '../../constants';

/**
 * Jobs live in the render-job table; a worker claims a batch by stamping it with a unique token
 * and a lease (`locked_by`, `locked_until`). A job whose lease ran out (its worker crashed) is
 * claimable again, so a restarted or second worker takes it over.
 */
export interface JobRow {
  id: number;
  event: string;
  run: string | null;
  kind: 'render' | 'email';
  record_id: string;
  version: string | null;
  key: string;
  status: string;
  attempts: number;
  locked_by: string | null;
  last_error: string | null;
}

export const MAX_ATTEMPTS = 5;

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

export const newToken = (workerId: string) => `${workerId}#${crypto.randomBytes(6).toString('hex')}`;

export async function claimJobs(
  strapi: Core.Strapi,
  token: string,
  limit: number,
  leaseMs: number,
  ids?: number[]
): Promise<JobRow[]> {
  const knex = strapi.db.connection;
  const now = new Date();
  const sub = knex(TABLE.renderJob)
    .select('id')
    .where((q) =>
      q.where('status', 'queued').orWhere((q2) => q2.where('status', 'running').where('locked_until', '<', now))
    )
    .orderBy('id')
    .limit(limit);
  if (ids) sub.whereIn('id', ids);
  // PostgreSQL: workers in several processes must not claim the same rows; SQLite has one writer.
  if (isPostgres(strapi)) sub.forUpdate().skipLocked();
  await knex(TABLE.renderJob)
    .whereIn('id', sub)
    .update({
      status: 'running',
      locked_by: token,
      locked_until: new Date(now.getTime() + leaseMs),
      attempts: knex.raw('attempts + 1'),
      updated_at: now,
    });
  return knex(TABLE.renderJob).where({ locked_by: token, status: 'running' }).orderBy('id');
}

export async function extendLease(strapi: Core.Strapi, token: string, leaseMs: number) {
  await strapi.db
    .connection(TABLE.renderJob)
    .where({ locked_by: token, status: 'running' })
    .update({ locked_until: new Date(Date.now() + leaseMs) });
}

/** Ends jobs only if this worker still holds them (a taken-over job belongs to its new worker). */
export async function finishJob(
  strapi: Core.Strapi,
  jobId: number | number[],
  token: string,
  status: 'done' | 'failed' | 'cancelled' | 'queued',
  error?: string | null,
  /** The transaction to write in (a knex transaction is a knex instance). */
  trx?: Core.Strapi['db']['connection']
) {
  const ids = Array.isArray(jobId) ? jobId : [jobId];
  if (!ids.length) return 0;
  return (trx ?? strapi.db.connection)(TABLE.renderJob)
    .whereIn('id', ids)
    .where({ locked_by: token })
    .update({
      status,
      // locked_by stays as a trace of who finished the job; a requeue clears it.
      locked_by: status === 'queued' ? null : token,
      locked_until: null,
      last_error: error ? String(error).slice(0, 2000) : null,
      updated_at: new Date(),
    });
}

/**
 * Inserts one job per (kind, record, version) for a run. A version already queued or done is not
 * added twice (unique key); a failed or cancelled one is queued again under this run.
 */
export async function insertJobs(
  strapi: Core.Strapi,
  runId: string | null,
  eventId: string,
  kind: 'render' | 'email',
  entries: Array<{ recordId: string; version: string }>
): Promise<number[]> {
  const knex = strapi.db.connection;
  const now = new Date();
  const ids: number[] = [];
  for (let i = 0; i < entries.length; i += 200) {
    const chunk = entries.slice(i, i + 200);
    const rows = chunk.map((e) => ({
      document_id: crypto.randomBytes(12).toString('hex'),
      event: eventId,
      run: runId,
      kind,
      record_id: e.recordId,
      version: e.version,
      key: `${kind}:${e.recordId}:${e.version}`,
      status: 'queued',
      attempts: 0,
      created_at: now,
      updated_at: now,
    }));
    await knex(TABLE.renderJob).insert(rows).onConflict('key').ignore();
    const keys = rows.map((r) => r.key);
    await knex(TABLE.renderJob)
      .whereIn('key', keys)
      .whereIn('status', ['failed', 'cancelled', 'done'])
      .update({ status: 'queued', run: runId, attempts: 0, locked_by: null, locked_until: null, last_error: null, updated_at: now });
    await knex(TABLE.renderJob).whereIn('key', keys).where('status', 'queued').update({ run: runId });
    const got = await knex(TABLE.renderJob).whereIn('key', keys).whereIn('status', ['queued', 'running']).select('id');
    ids.push(...got.map((r: any) => r.id));
  }
  return ids;
}
