import type { JobRow } from '../services/queue/jobs';

/**
 * Fields of a log line about jobs. Text logs show only the message; with LOG_FORMAT=json they
 * are JSON fields, so one record's or one run's story can be searched in a log collector.
 */
export const jobLogFields = (jobs: Array<Pick<JobRow, 'id' | 'record_id' | 'run' | 'event'>>) => ({
  jobIds: jobs.map((j) => j.id),
  recordIds: [...new Set(jobs.map((j) => j.record_id))],
  runIds: [...new Set(jobs.map((j) => j.run).filter((r): r is string => Boolean(r)))],
  eventIds: [...new Set(jobs.map((j) => j.event))],
});
