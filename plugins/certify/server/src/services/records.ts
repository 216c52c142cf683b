import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors';
import { UID } from '../constants';
import { certifyError } from '../utils';

const nullableString = z.string().trim().max(500).nullish();
const nullableInt = z.coerce.number().int().nonnegative().nullish();

export const recordInput = z.object({
  bib: z.coerce.string().trim().min(1, 'bib is required').max(64),
  name: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  email: z.string().trim().email('email is not a valid address').nullish().or(z.literal('')),
  category: nullableString,
  gender: nullableString,
  finishTime: nullableString,
  finishSeconds: z.coerce.number().nonnegative().nullish(),
  rankOverall: nullableInt,
  rankGender: nullableInt,
  rankCategory: nullableInt,
  extra: z.record(z.string(), z.unknown()).nullish(),
  source: z.string().nullish(),
  template: z.string().nullish(),
});
export type RecordInput = z.infer<typeof recordInput>;

export const parseOrThrow = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw certifyError.validation(
      issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
      { errors: issues }
    );
  }
  return parsed.data;
};

/** Records: one per participant of an event, unique by (event, bib). */
const records = ({ strapi }: { strapi: Core.Strapi }) => ({
  async findByBib(eventId: string, bib: string) {
    return strapi.documents(UID.record).findFirst({ filters: { event: eventId, bib } });
  },

  async create(eventId: string, input: unknown) {
    const data = parseOrThrow(recordInput, input);
    if (await this.findByBib(eventId, data.bib)) {
      throw certifyError.conflict(
        ERROR_CODES.duplicateBib,
        `A record with bib "${data.bib}" already exists for this event: edit that record or use another bib.`,
        { bib: data.bib }
      );
    }
    try {
      return await strapi.documents(UID.record).create({
        data: { ...data, email: data.email || null, event: eventId } as any,
      });
    } catch (err) {
      // A concurrent insert of the same bib loses at the database's unique index.
      if (await this.findByBib(eventId, data.bib)) {
        throw certifyError.conflict(ERROR_CODES.duplicateBib, `A record with bib "${data.bib}" already exists.`, {
          bib: data.bib,
        });
      }
      throw err;
    }
  },
});

export type RecordsService = ReturnType<typeof records>;
export default records;
