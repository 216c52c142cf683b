import { z } from 'zod';

/**
 * Body of `POST /certify/maintenance/orphan-sweep`. Files younger than the grace may belong to a
 * batch about to commit: the admin route keeps at least a minute; config `sweep.graceMs` by default.
 */
export const orphanSweepRequest = z
  .object({ olderThanMinutes: z.number({ message: 'olderThanMinutes must be a number of minutes (at least 1)' }).int().min(1, 'olderThanMinutes must be at least 1: younger files may belong to a batch about to be committed').max(60 * 24 * 365).optional() })
  .strict();
export type OrphanSweepRequest = z.input<typeof orphanSweepRequest>;

export const orphanSweepResult = z.object({
  /** Objects listed in storage. */
  scanned: z.number().int(),
  /** Certify's objects that no media row referred to, removed. */
  removed: z.number().int(),
  /** The first 100 removed names. */
  names: z.array(z.string()),
  graceMs: z.number().int(),
});
export type OrphanSweepResult = z.infer<typeof orphanSweepResult>;
