import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { getService } from '../../utils';
import type { EventStats } from '../../../../shared/derived';

export { derivedFields, eventFigures, usesEventStats, type EventStats } from '../../../../shared/derived';

/** The event's finishers and winner as stored now, and its distance (one aggregate query). */
export const loadEventStats = async (strapi: Core.Strapi, eventId: string): Promise<EventStats> => {
  const meta = strapi.db.metadata.get(UID.record) as unknown as { tableName: string; attributes: Record<string, { columnName?: string }> };
  const col = (attr: string) => meta.attributes[attr]?.columnName ?? attr;
  const [row] = await strapi.db
    .connection(meta.tableName)
    .where(col('event'), eventId)
    .whereNotNull(col('finishSeconds'))
    .min({ winner: col('finishSeconds') })
    .count({ finishers: '*' });
  const event = await getService(strapi, 'events').find(eventId);
  const winner = row?.winner === null || row?.winner === undefined ? null : Number(row.winner);
  return { winnerSeconds: Number.isFinite(winner) ? winner : null, finishers: Number(row?.finishers ?? 0), distanceKm: event?.distanceKm ?? null };
};
