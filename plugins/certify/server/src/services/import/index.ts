import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type {
  HandEditedChoice,
  ImportCommitResult,
  ImportCounts,
  ImportMapping,
  ImportPreview,
  ImportedRecord,
  InvalidRow,
  MappableField,
  Overwrite,
} from '../../../../shared/contracts/import';
import { ERROR_CODES } from '../../../../shared/errors';
import type { MappingReport, NameOrder, RowWarning } from '../../../../shared/contracts/mapping';
import { UID } from '../../constants';
import { RECORDS_IMPORTED, type RecordsImported } from '../../middlewares/documents';
import { certifyError, getConfig } from '../../utils';
import { recordDataHash } from '../../utils/hash';
import { readTable, TableError, type PayloadFormat, type TableInfo } from './parse';
import type { Delimiter } from './delimiter';
import { checkMapping, explainColumns, MAPPING_SAMPLE_CELLS, MAPPING_SAMPLE_ROWS, proposeMapping, type MappingProposal, type Origin, type RankRanges } from './mapping';
import { headerSignature, mappingMemory, type Remembered } from './memory';
import { decideNameOrder } from './names';
import { RowValidator } from './rows';
import { createRecordWriter, type ExistingRecord, type PlannedInsert, type PlannedUpdate, type WriteResult } from './upsert';
import { COMPANIONS, sameValue, type HandEditable } from '../records/edits';

const PREVIEW_TTL_MS = 30 * 60 * 1000;
const MAX_HELD_PREVIEWS = 20;
const SAMPLE_ROWS = 20;
// Rows per INSERT: ~26 columns each stays under SQLite's 32,766 and PostgreSQL's 65,535 bind variables.
const DEFAULT_BATCH = 500;
const MAX_INVALID_LISTED = 1000;
const MAX_WARNINGS_LISTED = 1000;
const MAX_OVERWRITES_LISTED = 1000;

/** Which route reads the file: errors suggest only what that route accepts. */
type Route = 'admin' | 'push';

/** How a file is to be read: its format, and what the organiser or the source already decided. */
interface ReadOptions {
  format: 'auto' | 'csv' | 'json';
  delimiter?: Delimiter | null;
  mapping?: ImportMapping | null;
  savedMapping?: ImportMapping | null;
  /** Mappings the organiser committed for this event, by header signature (memory.ts). */
  remembered?: Map<string, Remembered>;
  nameOrder?: NameOrder | null;
  /** What to do with values edited by hand that the file would change (default: keep them). */
  handEdited?: HandEditedChoice;
  route: Route;
}

/** How the columns and names of one file are read, decided from its header and first rows. */
interface Decision {
  proposal: MappingProposal;
  origin: (field: MappableField) => Origin;
  nameOrder: NameOrder;
  /** The organiser's name order (sent now, or remembered for this layout); null: the file's own. */
  chosen: NameOrder | null;
}

/** What a commit reports about names besides the counts. */
type CommitReport = Pick<MappingReport, 'nameOrder' | 'nameOrderRows' | 'warnings'>;

/** Records edited by hand that the file would change, and what the import did with them. */
interface HandEditReport {
  overwrites: Overwrite[];
  overwriteCount: number;
  kept: number;
  replaced: number;
}

export interface ImportInput {
  buffer: Buffer;
  sourceId?: string | null;
  mapping?: ImportMapping | null;
  /** The organiser's name order; without it the file's own is used. */
  nameOrder?: NameOrder | null;
  handEdited?: HandEditedChoice | null;
  format?: PayloadFormat;
}

/**
 * A dry run held between preview and commit. Kept in this process's memory (with an expiry and a
 * cap on how many) rather than in a table: it holds the uploaded bytes (up to import.maxBytes),
 * lives minutes, and commit re-reads and re-validates them anyway. The cost: preview and commit
 * must reach the same server process; a restart or another instance answers "run the import again".
 */
interface HeldPreview {
  id: string;
  eventId: string;
  sourceId: string | null;
  buffer: Buffer;
  format: PayloadFormat;
  delimiter: Delimiter | null;
  mapping: ImportMapping;
  nameOrder: NameOrder | null;
  /** The name order remembered with this layout's mapping, used when the commit names none. */
  rememberedNameOrder: NameOrder | null;
  handEdited: HandEditedChoice;
  expiresAt: number;
}

interface Analysis {
  info: TableInfo;
  mapping: ImportMapping;
  suggestedMapping: ImportMapping;
  counts: ImportCounts;
  invalid: InvalidRow[];
  sample: ImportPreview['sample'];
  report: MappingReport;
  /** The organiser's name order, if one was chosen (remembered with the mapping). */
  chosenNameOrder: NameOrder | null;
  /** No column is the bib: only a dry run through the admin gets this far (see ImportPreview.needsBib). */
  needsBib: boolean;
  /** The file's first rows as written. */
  rows: string[][];
  handEdits: HandEditReport;
}

/** Where analysed rows go when committing: written batch by batch while the file is read. */
interface WriteSink {
  insert(items: PlannedInsert[]): Promise<void>;
  update(items: PlannedUpdate[]): Promise<void>;
  batchSize: number;
}

/** The bib is the one column an import cannot do without; the advice fits the route the file came through. */
const noBibMessage = (headers: string[], route: Route) => {
  const columns = headers.length ? headers.join(', ') : 'none';
  return route === 'push'
    ? `No column looks like a bib number (columns: ${columns}): name the bib column "bib" (also understood: Bib, Bib Number, Startnummer, Dossard, Dorsal).`
    : `No column looks like a bib number (columns: ${columns}): pick the bib column in the dry run (mapping.bib), then import.`;
};

const sameMapping = (mapping: ImportMapping | null | undefined, headers: string[]) =>
  !!mapping && !!mapping.bib && checkMapping(mapping, headers).length === 0;

/**
 * The saved mapping, plus suggestions for fields it does not mention (a column the partner added
 * later). A field the admin set to null stays unmapped.
 */
const withSuggestions = (saved: ImportMapping, suggested: ImportMapping): ImportMapping => {
  const used = new Set(Object.values(saved).filter(Boolean));
  const out: ImportMapping = { ...saved };
  for (const [field, header] of Object.entries(suggested) as Array<[keyof ImportMapping, string]>) {
    if (!(field in saved) && header && !used.has(header)) out[field] = header;
  }
  return out;
};

/**
 * A row of a file that updates a stored record: the fields the file has no column for keep their
 * stored values, and extra data keeps the keys the file has no column for. To clear a field, send
 * its column with an empty cell (JSON: null or "").
 */
const keepUncarried = (record: ImportedRecord, existing: ExistingRecord, validator: RowValidator): ImportedRecord => {
  if (!validator.uncarried.length && existing.values.extra == null) return record;
  const out = { ...record } as Record<string, unknown>;
  for (const field of validator.uncarried) out[field] = existing.values[field] ?? null;
  const stored = existing.values.extra;
  if (stored && typeof stored === 'object') {
    const extra: Record<string, string> = { ...(stored as Record<string, string>) };
    for (const header of validator.extraHeaders) delete extra[header];
    Object.assign(extra, record.extra ?? {});
    out.extra = Object.keys(extra).length ? extra : null;
  }
  return out as unknown as ImportedRecord;
};

/** The record with the hand-edited values the file would change put back (and the seconds with an edited time). */
const keepEdits = (record: ImportedRecord, existing: ExistingRecord, fields: HandEditable[]): ImportedRecord => {
  const out = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    for (const f of [field, ...(COMPANIONS[field] ?? [])]) out[f] = existing.values[f as keyof ImportedRecord] ?? null;
  }
  return out as unknown as ImportedRecord;
};

const importer = ({ strapi }: { strapi: Core.Strapi }) => {
  // ttlAutopurge drops an expired preview's bytes on time, not at the next lookup.
  const previews = new LRUCache<string, HeldPreview>({ max: MAX_HELD_PREVIEWS, ttl: PREVIEW_TTL_MS, ttlAutopurge: true });
  let writer: ReturnType<typeof createRecordWriter> | null = null;
  const records = () => (writer ??= createRecordWriter(strapi));
  const memory = mappingMemory(strapi);

  const checkSize = (buffer: Buffer) => {
    const { maxBytes } = getConfig(strapi).import;
    if (buffer.length > maxBytes) {
      throw certifyError.validation(
        `The file is ${(buffer.length / 1048576).toFixed(1)} MB, over the import limit of ${(maxBytes / 1048576).toFixed(1)} MB: split it into smaller files.`,
        { limit: 'import.maxBytes', maxBytes, size: buffer.length }
      );
    }
    if (!buffer.length) throw certifyError.validation('The file is empty: it needs a header row and at least one row of data.');
  };

  const findSource = async (eventId: string, sourceId: string | null | undefined) => {
    if (!sourceId) return null;
    const source = await strapi.db.query(UID.source).findOne({ where: { documentId: sourceId, event: eventId } });
    if (!source) throw certifyError.validation(`Source "${sourceId}" does not belong to this event: pick one of the event's sources.`);
    return source as { id: number; documentId: string; mapping: ImportMapping | null; kind: string };
  };

  /**
   * Reads, maps and validates every row and compares each with what is stored. Without a sink it
   * writes nothing (the dry run); with one, new and changed rows are handed over in batches.
   */
  const analyse = async (
    buffer: Buffer,
    opts: ReadOptions & { existing: Map<string, ExistingRecord>; sink?: WriteSink }
  ): Promise<Analysis> => {
    const counts: ImportCounts = { new: 0, changed: 0, unchanged: 0, invalid: 0 };
    const invalid: InvalidRow[] = [];
    const warnings: RowWarning[] = [];
    const sample: ImportPreview['sample'] = [];
    const firstRows: string[][] = [];
    const handEditedChoice = opts.handEdited ?? 'keep';
    const handEdits: HandEditReport = { overwrites: [], overwriteCount: 0, kept: 0, replaced: 0 };
    let needsBib = false;
    let inserts: PlannedInsert[] = [];
    let updates: PlannedUpdate[] = [];
    const sink = opts.sink;
    const flush = async () => {
      const [ins, upd] = [inserts, updates];
      inserts = [];
      updates = [];
      await sink!.update(upd);
      await sink!.insert(ins);
    };
    let headers: string[] = [];
    let validator: RowValidator | null = null;
    let mapping: ImportMapping = {};
    let suggestedMapping: ImportMapping = {};
    let decision: Decision | null = null;
    const ranges: RankRanges = {};
    // The first rows are held until the mapping is decided from them, then handled like the rest.
    let held: Array<[string[], number, string | null]> | null = [];
    let heldCells = 0;

    /** Decides the mapping and name order from the header and the held rows. */
    const decide = () => {
      const rows = held!.map(([values]) => values);
      const proposal = proposeMapping(headers, rows);
      suggestedMapping = proposal.mapping;
      let origin: (field: MappableField) => Origin = () => 'suggested';
      const remembered = opts.remembered?.get(headerSignature(headers));
      let nameOrderChoice = opts.nameOrder;
      if (opts.mapping) {
        const problems = checkMapping(opts.mapping, headers);
        if (problems.length) throw new TableError(`The column mapping does not fit this file: ${problems.join('; ')}.`);
        mapping = opts.mapping;
        origin = () => 'sent';
      } else if (sameMapping(opts.savedMapping, headers)) {
        const saved = opts.savedMapping as ImportMapping;
        mapping = withSuggestions(saved, suggestedMapping);
        origin = (field) => (field in saved ? 'saved' : 'suggested');
      } else if (remembered && sameMapping(remembered.mapping, headers)) {
        mapping = remembered.mapping;
        origin = () => 'remembered';
        nameOrderChoice ??= remembered.nameOrder;
      } else {
        mapping = suggestedMapping;
      }
      // A push or a commit cannot go on without a bib; an admin dry run shows the file so the organiser can pick it.
      if (!mapping.bib && (opts.route === 'push' || opts.sink)) throw new TableError(noBibMessage(headers, opts.route));
      needsBib = !mapping.bib;
      // Only the names of rows that can be imported (they have a bib) say how the file writes names.
      const nameIndex = mapping.name ? headers.indexOf(mapping.name) : -1;
      const bibIndex = mapping.bib ? headers.indexOf(mapping.bib) : -1;
      const names = nameIndex >= 0 ? rows.filter((r) => bibIndex < 0 || (r[bibIndex] ?? '').trim()).map((r) => r[nameIndex] ?? '') : [];
      const nameOrder = nameOrderChoice ?? decideNameOrder(names);
      decision = { proposal, origin, nameOrder, chosen: nameOrderChoice ?? null };
      if (!needsBib) validator = new RowValidator(headers, mapping, { nameOrder, ignore: proposal.ignored.keys() });
    };

    const handle = (values: string[], line: number, problem: string | null): Promise<void> | void => {
      if (needsBib) return;
      const result = validator!.validate(values, line, problem);
      if (!result.ok) {
        counts.invalid++;
        if (invalid.length < MAX_INVALID_LISTED) invalid.push(result.invalid);
        return;
      }
      const existing = opts.existing.get(result.record.bib);
      let record: ImportedRecord = existing ? keepUncarried(result.record, existing, validator!) : result.record;
      // Values edited by hand that the file would change are reported, then kept or replaced.
      let editedFields: HandEditable[] | null | undefined;
      if (existing?.edited) {
        const uncarried = new Set<string>(validator!.uncarried);
        const { fields, at } = existing.edited;
        const overwritten = fields.filter((f) => !uncarried.has(f) && !sameValue(record[f], existing.values[f]));
        if (overwritten.length) {
          handEdits.overwriteCount++;
          if (handEdits.overwrites.length < MAX_OVERWRITES_LISTED) handEdits.overwrites.push({ bib: record.bib, fields: overwritten, editedAt: at });
          if (handEditedChoice === 'keep') {
            record = keepEdits(record, existing, overwritten);
            handEdits.kept++;
          } else {
            handEdits.replaced++;
          }
        }
        // Replaced (or agreed with by the file), an edit is no longer the organiser's own; one the file does not carry still is.
        if (handEditedChoice === 'replace') {
          const remaining = fields.filter((f) => uncarried.has(f));
          if (remaining.length !== fields.length) editedFields = remaining.length ? remaining : null;
        }
      }
      for (const field of ['rankOverall', 'rankGender', 'rankCategory'] as const) {
        const rank = record[field];
        if (rank === null) continue;
        const range = (ranges[field] ??= { min: rank, max: rank });
        if (rank < range.min) range.min = rank;
        if (rank > range.max) range.max = rank;
      }
      if (result.warning && warnings.length < MAX_WARNINGS_LISTED) warnings.push({ line, bib: record.bib, message: result.warning });
      // The hash is what a stored record is compared by and what a write stores: a dry run of a
      // new record needs neither (a third of a first dry run's time, bench/RESULTS.md "Import").
      const hashOf = () => recordDataHash(record as unknown as Record<string, unknown>);
      let action: 'new' | 'changed' | 'unchanged';
      if (!existing) {
        action = 'new';
        if (sink) inserts.push({ record, dataHash: hashOf() });
      } else {
        const dataHash = hashOf();
        const dataChanged = existing.dataHash !== dataHash;
        const emailChanged = (existing.email ?? null) !== record.email;
        action = dataChanged || emailChanged ? 'changed' : 'unchanged';
        if (action === 'changed' && sink) updates.push({ record, dataHash, existing, dataChanged, editedFields });
      }
      counts[action]++;
      if (sample.length < SAMPLE_ROWS) sample.push({ ...record, line, action });
      if (sink && inserts.length + updates.length >= sink.batchSize) return flush();
    };

    const release = async () => {
      const rows = held!;
      held = null;
      for (const [values, line, problem] of rows) {
        const pending = handle(values, line, problem);
        if (pending) await pending;
      }
    };

    const onRow = (values: string[], line: number, problem: string | null): Promise<void> | void => {
      if (firstRows.length < SAMPLE_ROWS) firstRows.push(values);
      if (!held) return handle(values, line, problem);
      held.push([values, line, problem]);
      heldCells += values.length;
      if (held.length < MAPPING_SAMPLE_ROWS && heldCells < MAPPING_SAMPLE_CELLS) return;
      decide();
      return release();
    };

    let info: TableInfo;
    try {
      info = await readTable(
        buffer,
        { format: opts.format, limits: getConfig(strapi).import, delimiter: opts.delimiter, onHeaders: (h) => (headers = h) },
        onRow
      );
      if (held) {
        decide();
        await release();
      }
    } catch (err) {
      if (err instanceof TableError) throw certifyError.validation(err.message);
      throw err;
    }
    if (sink) await flush();
    // Both are set by decide(), which has run once the file is read (TypeScript cannot see into the callbacks).
    const decided = decision as Decision | null;
    const { proposal, origin, nameOrder, chosen } = decided!;
    // Explained after the whole file is read, so ranges cover every row, not only the sample.
    const explanations = explainColumns(info.headers, mapping, { ...proposal, origin, ranges });
    return {
      info,
      mapping,
      suggestedMapping,
      chosenNameOrder: chosen,
      needsBib,
      rows: firstRows,
      handEdits,
      counts,
      invalid,
      sample,
      report: {
        explanations,
        nameOrder,
        nameOrderSource: chosen ? 'organiser' : 'file',
        nameOrderRows: (validator as RowValidator | null)?.nameOrderRows ?? 0,
        warnings,
      },
    };
  };

  /*
   * Commits of one event in this process take turns here, before they ask the database for a
   * connection. A commit waiting for the advisory lock below holds a pool connection while it
   * waits: on race night, pushes of one event arriving faster than they commit held all of the
   * pool (10 by default) and stalled every other query of the process (bench:live, PostgreSQL:
   * pushes answered after a minute). The advisory lock still orders commits across processes.
   */
  const lastCommit = new Map<string, Promise<unknown>>();
  const afterEarlierCommits = <T>(eventId: string, work: () => Promise<T>): Promise<T> => {
    const mine = (lastCommit.get(eventId) ?? Promise.resolve()).then(work);
    const settled = mine.then(
      () => undefined,
      () => undefined
    );
    lastCommit.set(eventId, settled);
    void settled.then(() => {
      if (lastCommit.get(eventId) === settled) lastCommit.delete(eventId);
    });
    return mine;
  };

  /** Re-reads the file inside the transaction (so the comparison is with what is stored now) and writes. */
  const commitBuffer = async (
    eventId: string,
    source: { id: number; documentId: string } | null,
    buffer: Buffer,
    opts: ReadOptions & { batchSize?: number }
  ): Promise<ImportCommitResult & CommitReport & Pick<HandEditReport, 'overwrites' | 'overwriteCount'> & { mapping: ImportMapping; documentIds: string[] }> => {
    const started = Date.now();
    const writer = records();
    const result = await afterEarlierCommits(eventId, () =>
      strapi.db.transaction(async ({ trx }) => {
        // Two commits for one event (a push and an upload, or two servers) take turns, so neither
        // trips over the other's new bibs. SQLite transactions are serial already.
        if (strapi.db.dialect.client === 'postgres') {
          await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`certify-import:${eventId}`]);
        }
        const existing = await writer.loadExisting(eventId, trx);
        const session = writer.open(trx, eventId, source?.id ?? null);
        const batchSize = Math.max(1, Math.min(opts.batchSize ?? DEFAULT_BATCH, 1000));
        const analysis = await analyse(buffer, { ...opts, existing, sink: { insert: session.insert, update: session.update, batchSize } });
        await session.finish();
        const written: WriteResult = session.result();
        return { analysis, written };
      })
    );
    const { analysis, written } = result;
    if (source) {
      await strapi.db.query(UID.source).update({ where: { id: source.id }, data: { mapping: analysis.mapping } });
    }
    // What the organiser committed is the confirmed reading of this layout for the event.
    if (opts.route === 'admin') {
      await memory.remember(eventId, analysis.info.headers, { mapping: analysis.mapping, nameOrder: analysis.chosenNameOrder });
    }
    // One announcement per import; the Document Service middlewares' module decides what it means.
    await strapi.eventHub.emit(RECORDS_IMPORTED, { eventId, documentIds: written.documentIds } satisfies RecordsImported);
    return {
      counts: analysis.counts,
      invalid: analysis.invalid,
      stale: written.stale,
      kept: analysis.handEdits.kept,
      replaced: analysis.handEdits.replaced,
      overwrites: analysis.handEdits.overwrites,
      overwriteCount: analysis.handEdits.overwriteCount,
      durationMs: Date.now() - started,
      nameOrder: analysis.report.nameOrder,
      nameOrderRows: analysis.report.nameOrderRows,
      warnings: analysis.report.warnings,
      mapping: analysis.mapping,
      documentIds: written.documentIds,
    };
  };

  return {
    /** Dry run: what an import would do, held server-side until commit. */
    async preview(eventId: string, input: ImportInput): Promise<ImportPreview & MappingReport> {
      checkSize(input.buffer);
      const source = await findSource(eventId, input.sourceId);
      const existing = await records().loadExisting(eventId);
      const format = input.format ?? 'auto';
      const analysis = await analyse(input.buffer, {
        format,
        mapping: input.mapping,
        savedMapping: source?.mapping,
        remembered: await memory.load(eventId),
        nameOrder: input.nameOrder,
        handEdited: input.handEdited ?? 'keep',
        existing,
        route: 'admin',
      });
      const report = {
        encoding: analysis.info.encoding,
        delimiter: analysis.info.delimiter,
        headers: analysis.info.headers,
        mapping: analysis.mapping,
        suggestedMapping: analysis.suggestedMapping,
        counts: analysis.counts,
        totalRows: analysis.info.rows,
        sample: analysis.sample,
        rows: analysis.rows,
        invalid: analysis.invalid,
        overwrites: analysis.handEdits.overwrites,
        overwriteCount: analysis.handEdits.overwriteCount,
        ...analysis.report,
      };
      // Without a bib there is nothing to commit: nothing is held until the organiser picks the column.
      if (analysis.needsBib) return { importId: null, expiresAt: null, needsBib: true, ...report };
      const held: HeldPreview = {
        id: randomBytes(12).toString('hex'),
        eventId,
        sourceId: source?.documentId ?? null,
        buffer: input.buffer,
        format,
        delimiter: analysis.info.delimiter,
        mapping: analysis.mapping,
        nameOrder: input.nameOrder ?? null,
        rememberedNameOrder: analysis.chosenNameOrder,
        handEdited: input.handEdited ?? 'keep',
        expiresAt: Date.now() + PREVIEW_TTL_MS,
      };
      previews.set(held.id, held);
      return { importId: held.id, expiresAt: new Date(held.expiresAt).toISOString(), needsBib: false, ...report };
    },

    /** Writes a held dry run (optionally with a corrected mapping): all of it, or nothing. */
    async commit(
      eventId: string,
      importId: string,
      body: { mapping?: ImportMapping | null; nameOrder?: NameOrder | null; handEdited?: HandEditedChoice | null; batchSize?: number } = {}
    ) {
      const held = previews.get(importId);
      if (!held || held.eventId !== eventId) {
        throw certifyError.notFound(
          ERROR_CODES.importNotFound,
          `Import "${importId}" was not found: previews are kept for 30 minutes by the server that made them. Upload the file again.`
        );
      }
      const source = await findSource(eventId, held.sourceId);
      const result = await commitBuffer(eventId, source, held.buffer, {
        format: held.format,
        delimiter: held.delimiter,
        mapping: body.mapping ?? held.mapping,
        nameOrder: body.nameOrder ?? held.nameOrder ?? held.rememberedNameOrder,
        handEdited: body.handEdited ?? held.handEdited,
        route: 'admin',
        batchSize: body.batchSize,
      });
      previews.delete(importId);
      const { documentIds: _ids, mapping: _m, overwrites: _o, overwriteCount: _n, ...out } = result;
      return out;
    },

    /** Import and commit in one step (proxy pushes, feed pulls), with the source's saved mapping. */
    async importNow(
      eventId: string,
      input: ImportInput & { source?: { id: number; documentId: string; mapping?: ImportMapping | null } | null }
    ) {
      checkSize(input.buffer);
      const source = input.source ?? (await findSource(eventId, input.sourceId));
      const result = await commitBuffer(eventId, source, input.buffer, {
        format: input.format ?? 'auto',
        mapping: input.mapping,
        savedMapping: source?.mapping ?? null,
        remembered: await memory.load(eventId),
        nameOrder: input.nameOrder,
        route: 'push',
      });
      const { documentIds: _ids, ...out } = result;
      return out;
    },

    async bootstrap() {
      await memory.ensureTable();
    },

    destroy() {
      previews.clear();
    },
  };
};

export type ImporterService = ReturnType<typeof importer>;
export default importer;
