import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { UID } from '../constants';
import { parseOrThrow } from './records';

export const sourceInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  kind: z.enum(['upload', 'proxy', 'feed']).default('upload'),
  mapping: z.record(z.string(), z.unknown()).nullish(),
  settings: z.record(z.string(), z.unknown()).nullish(),
});

/** Data sources: where an event's participant data comes from. */
const sources = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(eventId: string) {
    return strapi.documents(UID.source).findMany({ filters: { event: eventId }, sort: { createdAt: 'asc' } });
  },

  async create(eventId: string, input: unknown) {
    const data = parseOrThrow(sourceInput, input);
    return strapi.documents(UID.source).create({ data: { ...data, event: eventId } as any });
  },
});

export type SourcesService = ReturnType<typeof sources>;
export default sources;
