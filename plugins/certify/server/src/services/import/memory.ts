import type { Core } from '@strapi/strapi';
import type { ImportMapping } from '../../../../shared/contracts/import';
import type { NameOrder } from '../../../../shared/contracts/mapping';
import { TABLE } from '../../constants';
import { sha256 } from '../../utils/hash';

/** What an organiser confirmed for one layout of results file. */
export interface Remembered {
  mapping: ImportMapping;
  /** The name order the organiser chose; null when the file's own was used. */
  nameOrder: NameOrder | null;
}

/** A file layout's identity: its column names, in order, case and surrounding spaces aside. */
export const headerSignature = (headers: string[]): string =>
  sha256(headers.map((h) => h.trim().toLowerCase()).join('\n')).slice(0, 32);

/*
 * Mapping memory: the mapping an organiser committed for an event, by the file layout it was made
 * for. The next file of that layout for the event (a corrected export, the next results batch, a
 * partner push without a source mapping) is read the same way instead of being guessed again —
 * a guess that differed from the organiser's choice would count every row as changed. A source's
 * own saved mapping still comes first (sources/); this covers uploads without a source and a
 * source whose file layout changed. Not a content type: nobody edits it but the importer.
 */
export const mappingMemory = (strapi: Core.Strapi) => {
  const db = () => strapi.db.connection;

  return {
    async ensureTable() {
      const schema = strapi.db.getSchemaConnection();
      if (await schema.hasTable(TABLE.importMappings)) return;
      await schema.createTable(TABLE.importMappings, (t) => {
        t.string('event', 255).notNullable();
        t.string('signature', 64).notNullable();
        t.text('mapping').notNullable();
        t.string('name_order', 32).nullable();
        t.timestamp('updated_at').notNullable();
        t.primary(['event', 'signature']);
      });
    },

    /** The event's remembered layouts, by header signature. */
    async load(eventId: string): Promise<Map<string, Remembered>> {
      const rows: Array<{ signature: string; mapping: string; name_order: string | null }> = await db()(TABLE.importMappings)
        .select('signature', 'mapping', 'name_order')
        .where('event', eventId);
      const out = new Map<string, Remembered>();
      for (const row of rows) {
        try {
          out.set(row.signature, { mapping: JSON.parse(row.mapping), nameOrder: (row.name_order as NameOrder | null) ?? null });
        } catch {
          // A row that does not parse is ignored: the importer proposes a mapping as if none were saved.
        }
      }
      return out;
    },

    async remember(eventId: string, headers: string[], remembered: Remembered) {
      const row = {
        event: eventId,
        signature: headerSignature(headers),
        mapping: JSON.stringify(remembered.mapping),
        name_order: remembered.nameOrder,
        updated_at: new Date(),
      };
      await db()(TABLE.importMappings).insert(row).onConflict(['event', 'signature']).merge(['mapping', 'name_order', 'updated_at']);
    },
  };
};
