import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { UID } from '../constants';
import { parseOrThrow } from './records';

export const templateInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  purpose: z.string().trim().max(64).default('finisher'),
  pageSize: z.enum(['A4', 'Letter', 'A5', 'custom']).default('A4'),
  orientation: z.enum(['landscape', 'portrait']).default('landscape'),
  widthMm: z.coerce.number().positive().max(2000).nullish(),
  heightMm: z.coerce.number().positive().max(2000).nullish(),
  mode: z.enum(['designer', 'html']).default('designer'),
  design: z.record(z.string(), z.unknown()).nullish(),
  html: z.string().max(500_000).nullish(),
  css: z.string().max(500_000).nullish(),
  rules: z.record(z.string(), z.unknown()).nullish(),
  priority: z.coerce.number().int().default(0),
  isDefault: z.boolean().default(false),
});

/** Certificate templates of an event. */
const templates = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(eventId: string) {
    return strapi.documents(UID.template).findMany({
      filters: { event: eventId },
      sort: [{ priority: 'desc' }, { createdAt: 'asc' }],
      populate: { background: true },
    });
  },

  async create(eventId: string, input: unknown) {
    const data = parseOrThrow(templateInput, input);
    return strapi.documents(UID.template).create({ data: { ...data, event: eventId } as any });
  },
});

export type TemplatesService = ReturnType<typeof templates>;
export default templates;
