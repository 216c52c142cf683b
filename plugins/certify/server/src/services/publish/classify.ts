import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { getService } from '../../utils';
import { eventFigures, loadEventStats, usesEventStats, type EventStats } from '../render/derived';
import { renderKeyOf } from './keys';
import { chosenPhoto } from './photos';

type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rows of the record table as read

const RECORD_SELECT = [
  'id', 'documentId', 'event', 'bib', 'name', 'dataHash', 'renderedHash', 'status', 'category',
  'firstName', 'lastName', 'gender', 'finishTime', 'finishSeconds', 'rankOverall', 'rankGender', 'rankCategory', 'extra', 'photos',
];

/** Whether certificates of this template show the participant's photo. */
export const showsPhoto = (template: AnyRecord) =>
  template.mode === 'html'
    ? /\{\{\{?\s*photo\b/.test(String(template.html ?? ''))
    : Array.isArray(template.design?.elements) && template.design.elements.some((el: { type?: string }) => el?.type === 'photo');

/** Whether certificates of this template show a field computed from the event's other records (a new winner changes them). */
export const showsEventStats = (template: AnyRecord) =>
  usesEventStats(
    template.mode === 'html'
      ? String(template.html ?? '')
      : JSON.stringify((template.design?.elements ?? []).map((el: { text?: string; field?: string }) => [el.text, el.field]))
  );

export type RecordState = 'new' | 'changed' | 'unchanged' | 'noTemplate';
export interface Classified {
  record: AnyRecord;
  template: AnyRecord | null;
  key: string | null;
  state: RecordState;
}

/**
 * Which certificate each record needs: its template (by rules, pin or default) and the render
 * key of its data and that template; a record whose stored `renderedHash` differs is stale.
 */
export const classifier = (strapi: Core.Strapi) => {
  const templates = () => getService(strapi, 'templates');
  // The stored hash is kept current on every template save; compute it only if missing.
  const templateHash = (t: AnyRecord) => (t.hash as string) || templates().hash(t);

  /**
   * The key of a record's certificate; for templates that show event-wide fields, `stats` adds the
   * figures of those fields this record shows (not the stats themselves: see `eventFigures`).
   */
  const renderKey = (record: AnyRecord, template: AnyRecord, stats?: EventStats | null) => {
    const base = renderKeyOf(record.dataHash, templateHash(template), showsPhoto(template) ? chosenPhoto(record.photos)?.fileId : null);
    return stats && showsEventStats(template) ? renderKeyOf(base, eventFigures(record, stats)) : base;
  };
  /** The event's stats when one of these templates needs them (one query), else null. */
  const statsFor = async (eventId: string, list: AnyRecord[]) => (list.some(showsEventStats) ? loadEventStats(strapi, eventId) : null);
  const pick = (list: AnyRecord[], record: AnyRecord): AnyRecord | null => templates().pickTemplate(list, record);
  const listTemplates = (eventId: string): Promise<AnyRecord[]> => templates().list(eventId);

  const loadRecords = (eventId: string, documentIds?: string[]) =>
    strapi.db.query(UID.record).findMany({
      where: { event: eventId, ...(documentIds ? { documentId: { $in: documentIds } } : {}) },
      select: RECORD_SELECT,
      populate: { template: { select: ['id', 'documentId'] } },
      orderBy: { id: 'asc' },
    });

  const classify = async (eventId: string, documentIds?: string[]): Promise<Classified[]> => {
    const list = await listTemplates(eventId);
    const records = await loadRecords(eventId, documentIds);
    const stats = await statsFor(eventId, list);
    return records.map((record: AnyRecord) => {
      const template = pick(list, record);
      const key = template ? renderKey(record, template, stats) : null;
      const state: RecordState = !template ? 'noTemplate' : !record.renderedHash ? 'new' : record.renderedHash !== key ? 'changed' : 'unchanged';
      return { record, template, key, state };
    });
  };

  /** Records whose certificate is missing or out of date. */
  const stale = async (eventId: string, documentIds?: string[]) =>
    (await classify(eventId, documentIds)).filter((r) => r.state === 'new' || r.state === 'changed');

  return { classify, stale, renderKey, statsFor, pick, listTemplates };
};

export type Classifier = ReturnType<typeof classifier>;
