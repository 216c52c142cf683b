import type { Core } from '@strapi/strapi';
import { PREFLIGHT_KINDS, type PreflightKind, type PreflightRecord, type PreflightReport } from '../../../../shared/contracts/publish';
import { designSchema, type TextElement } from '../../../../shared/contracts/templates';
import { getService } from '../../utils';
import { recordContext } from '../render';
import { emptyFieldProbe, usesRecord } from '../render/bindings';
import { textSource } from '../render/design';
import { DEFAULT_FAMILY } from '../render/fonts';
import { hbs } from '../render/helpers';
import { overflowsAtMinimum, visibleText } from '../render/measure';
import { showsEventStats, showsPhoto, type Classifier } from './classify';
import { chosenPhoto } from './photos';

type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- template and record rows as read
type Element = PreflightRecord['elements'][number];

/** Runs `fn` on the first record only when `same` (text that shows no record field: the same for all). */
const once = <T>(same: boolean, fn: (ctx: Record<string, unknown>) => T) => {
  let first: { value: T } | null = null;
  return (ctx: Record<string, unknown>): T => {
    if (!same) return fn(ctx);
    first ??= { value: fn(ctx) };
    return first.value;
  };
};

/** What pre-flight needs of a template, prepared once per run of the check. */
interface Checks {
  /** Per element (or the whole HTML): the fields it would print empty for a record. */
  probes: Array<{ elementId: string; probe: (ctx: Record<string, unknown>) => string[] }>;
  /** Designer text elements: whether each overflows its box for a record (estimate). */
  texts: Array<{ el: TextElement; overflows: (ctx: Record<string, unknown>) => boolean }>;
  /** The photo element's id ("html" in advanced mode), when the template shows a photo. */
  photo: string | null;
  eventStats: boolean;
}

const prepare = (template: AnyRecord): Checks => {
  const eventStats = showsEventStats(template);
  if (template.mode === 'html') {
    return { probes: [{ elementId: 'html', probe: emptyFieldProbe(String(template.html ?? '')) }], texts: [], photo: showsPhoto(template) ? 'html' : null, eventStats };
  }
  // Templates are validated when saved; one that no longer parses is the renderer's to report.
  const parsed = designSchema.safeParse(template.design ?? { version: 1, elements: [] });
  const elements = parsed.success ? parsed.data.elements : [];
  const texts = elements.filter((el): el is TextElement => el.type === 'text');
  const defaultFamily = (parsed.success && parsed.data.fontFamily) || DEFAULT_FAMILY;
  const overflows = (el: TextElement) => {
    const render = hbs.compile(textSource(el), { strict: false });
    return (ctx: Record<string, unknown>) => {
      try {
        return overflowsAtMinimum(el, visibleText(render(ctx)), defaultFamily);
      } catch {
        return false; // a helper that throws fails the render, which reports it
      }
    };
  };
  return {
    probes: texts.map((el) => ({ elementId: el.id, probe: once(!usesRecord(textSource(el)), emptyFieldProbe(textSource(el))) })),
    texts: texts.map((el) => ({ el, overflows: once(!usesRecord(textSource(el)), overflows(el)) })),
    photo: elements.find((el) => el.type === 'photo')?.id ?? null,
    eventStats,
  };
};

/**
 * Pre-flight: what the certificates about to be (re)published would show wrong, checked in one
 * pass over the records the publish would render (no query per record, no rendering): a field
 * the template prints empty, text too long for its element even at its smallest size, a photo
 * frame without the participant's photo. Totals count every record; each kind lists its first
 * `limit` records.
 */
export const preflight = (strapi: Core.Strapi, classifier: Classifier) =>
  async function check(eventId: string, opts: { documentIds?: string[]; limit: number }): Promise<PreflightReport> {
    const rows = (await classifier.classify(eventId, opts.documentIds)).filter((r) => r.state === 'new' || r.state === 'changed');
    const templates = [...new Map(rows.map((r) => [r.template!.documentId, r.template!])).values()];
    const stats = await classifier.statsFor(eventId, templates);
    const event = await getService(strapi, 'render').eventContext(eventId);
    const checks = new Map<string, Checks>(templates.map((t) => [t.documentId, prepare(t)]));

    const report: PreflightReport = {
      eventId,
      checked: rows.length,
      withProblems: 0,
      totals: { emptyField: 0, overflow: 0, missingPhoto: 0 },
      emptyFields: {},
      records: { emptyField: [], overflow: [], missingPhoto: [] },
      limit: opts.limit,
    };
    const note = (kind: PreflightKind, record: AnyRecord, template: AnyRecord, elements: Element[]) => {
      report.totals[kind] += 1;
      if (report.records[kind].length >= opts.limit) return;
      report.records[kind].push({ documentId: record.documentId, bib: String(record.bib), name: record.name ?? null, template: template.name ?? template.documentId, elements });
    };

    for (const { record, template } of rows) {
      const c = checks.get(template!.documentId)!;
      const ctx = recordContext(record, event, '', c.eventStats ? stats : null);
      const found: Record<PreflightKind, Element[]> = { emptyField: [], overflow: [], missingPhoto: [] };
      for (const { elementId, probe } of c.probes) {
        for (const field of probe(ctx)) found.emptyField.push({ elementId, field });
      }
      for (const { el, overflows } of c.texts) if (overflows(ctx)) found.overflow.push({ elementId: el.id });
      if (c.photo && !chosenPhoto(record.photos)) found.missingPhoto.push({ elementId: c.photo });
      for (const kind of PREFLIGHT_KINDS) if (found[kind].length) note(kind, record, template!, found[kind]);
      if (PREFLIGHT_KINDS.some((kind) => found[kind].length)) report.withProblems += 1;
      for (const field of new Set(found.emptyField.map((e) => e.field!))) report.emptyFields[field] = (report.emptyFields[field] ?? 0) + 1;
    }
    return report;
  };
