import type { ImportMapping, ImportedRecord, InvalidRow, MappableField } from '../../../../shared/contracts/import';
import { isEmailAddress } from '../../../../shared/email';
import type { NameOrder } from '../../../../shared/contracts/mapping';
import { isSecondsHeader } from './mapping';
import { readName } from './names';
import { formatTime, parseTime } from './time';
import { normaliseSex, parseRank } from './values';

// Column widths of the records table (varchar(255)); PostgreSQL enforces them.
const MAX_TEXT = 255;
const MAX_BIB = 64;

/** Which mapped columns carry which record fields (the name fields go together, and the time with its seconds). */
const CARRIED_BY: Array<[readonly MappableField[], Array<keyof ImportedRecord>]> = [
  [['name', 'firstName', 'lastName'], ['name', 'firstName', 'lastName']],
  [['email'], ['email']],
  [['category'], ['category']],
  [['gender'], ['gender']],
  [['finishTime'], ['finishTime', 'finishSeconds']],
  [['rankOverall'], ['rankOverall']],
  [['rankGender'], ['rankGender']],
  [['rankCategory'], ['rankCategory']],
];

export type RowResult = { ok: true; record: ImportedRecord; warning: string | null } | { ok: false; invalid: InvalidRow };

const blankToNull = (v: string | undefined) => {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
};

/**
 * Turns a file row into a record (or the reason it cannot be one). Holds the bibs seen so far,
 * so one validator walks one file: the second row with a bib already seen is invalid.
 */
export class RowValidator {
  private readonly index: Partial<Record<MappableField, number>> = {};
  private readonly extraColumns: Array<[number, string]> = [];
  private readonly seen = new Map<string, number>();
  private readonly nameOrder: NameOrder;
  /** Only a lone name column is read in the file's order; separate first/last columns are taken as they are. */
  private readonly readsNameOrder: boolean;
  private readonly secondsOnly: boolean;
  /** Rows the name order decided (see MappingReport.nameOrderRows). */
  nameOrderRows = 0;

  constructor(
    private readonly headers: string[],
    mapping: ImportMapping,
    opts: { nameOrder?: NameOrder; ignore?: Iterable<string> } = {}
  ) {
    this.nameOrder = opts.nameOrder ?? 'first-last';
    this.readsNameOrder = !!mapping.name && !mapping.firstName && !mapping.lastName;
    // A time given only in seconds (Certify's finishSeconds) is stored as h:mm:ss for the certificate.
    this.secondsOnly = !!mapping.finishTime && isSecondsHeader(mapping.finishTime);
    const mapped = new Set<number>();
    for (const header of opts.ignore ?? []) {
      const i = headers.indexOf(header);
      if (i >= 0) mapped.add(i);
    }
    for (const [field, header] of Object.entries(mapping)) {
      if (!header) continue;
      const i = headers.indexOf(header);
      if (i >= 0) {
        this.index[field as MappableField] = i;
        mapped.add(i);
      }
    }
    headers.forEach((h, i) => {
      if (!mapped.has(i)) this.extraColumns.push([i, h]);
    });
    const carried = (fields: readonly MappableField[]) => fields.some((f) => this.index[f] !== undefined);
    this.uncarried = CARRIED_BY.filter(([columns]) => !carried(columns)).flatMap(([, fields]) => fields);
  }

  /**
   * Record fields this file has no column for. An import leaves them as they are on records it
   * updates (a push of bib and time does not wipe the email); an empty cell in a column the file
   * has clears its field.
   */
  readonly uncarried: Array<keyof ImportedRecord>;

  /** The extra-data columns of the file: on an update their values replace those keys (an empty cell removes one); other keys stay. */
  get extraHeaders(): string[] {
    return this.extraColumns.map(([, h]) => h);
  }

  private get(values: string[], field: MappableField) {
    const i = this.index[field];
    return i === undefined ? null : blankToNull(values[i]);
  }

  validate(values: string[], line: number, problem: string | null): RowResult {
    const bib = this.get(values, 'bib');
    const fail = (reason: string): RowResult => ({ ok: false, invalid: { line, bib, reason } });
    if (problem) return fail(problem);
    if (values.length !== this.headers.length) {
      return fail(
        `the row has ${values.length} fields but the header has ${this.headers.length}: quote fields that contain the delimiter, or add the missing fields`
      );
    }
    if (!bib) return fail('missing bib');
    if (bib.length > MAX_BIB) return fail(`bib "${bib.slice(0, 20)}…" is longer than ${MAX_BIB} characters`);
    const firstLine = this.seen.get(bib);
    if (firstLine !== undefined) return fail(`duplicate bib ${bib} (already on line ${firstLine}); each bib may appear once`);
    this.seen.set(bib, line);

    let name = this.get(values, 'name');
    let firstName = this.get(values, 'firstName');
    let lastName = this.get(values, 'lastName');
    let warning: string | null = null;
    let orderDecided = false;
    if (name && this.readsNameOrder) {
      const read = readName(name, this.nameOrder);
      warning = read.warning;
      orderDecided = read.reordered || (!read.warning && name.includes(','));
      if (read.reordered) ({ name, firstName, lastName } = read);
    }
    if (!name && (firstName || lastName)) name = [firstName, lastName].filter(Boolean).join(' ');

    const email = this.get(values, 'email');
    if (email && !isEmailAddress(email)) return fail(`bad email "${email}"`);

    let finishTime = this.get(values, 'finishTime');
    let finishSeconds: number | null = null;
    if (finishTime !== null) {
      const seconds = parseTime(finishTime);
      if (seconds === undefined) {
        return fail(`bad time "${finishTime}" in column "${this.headers[this.index.finishTime!]}": use h:mm:ss, mm:ss or seconds`);
      }
      finishSeconds = seconds;
      if (this.secondsOnly && seconds !== null) finishTime = formatTime(seconds, 'h:mm:ss.cc');
    }

    const ranks: Partial<Record<'rankOverall' | 'rankGender' | 'rankCategory', number | null>> = {};
    for (const field of ['rankOverall', 'rankGender', 'rankCategory'] as const) {
      const raw = this.get(values, field);
      const rank = parseRank(raw);
      if (rank === undefined) return fail(`bad rank "${raw}" in column "${this.headers[this.index[field]!]}": use a whole number`);
      ranks[field] = rank;
    }

    const genderRaw = this.get(values, 'gender');
    const gender = genderRaw ? normaliseSex(genderRaw) : null;

    let extra: Record<string, string> | null = null;
    for (const [i, header] of this.extraColumns) {
      const v = blankToNull(values[i]);
      if (v === null) continue;
      (extra ??= {})[header] = v;
    }

    const record: ImportedRecord = {
      bib,
      name,
      firstName,
      lastName,
      email: email ? email.toLowerCase() : null,
      category: this.get(values, 'category'),
      gender,
      finishTime,
      finishSeconds,
      rankOverall: ranks.rankOverall ?? null,
      rankGender: ranks.rankGender ?? null,
      rankCategory: ranks.rankCategory ?? null,
      extra,
    };
    for (const key of ['name', 'firstName', 'lastName', 'email', 'category', 'gender', 'finishTime'] as const) {
      const v = record[key];
      if (v && v.length > MAX_TEXT) return fail(`${key} is longer than ${MAX_TEXT} characters`);
    }
    if (orderDecided) this.nameOrderRows++;
    return { ok: true, record, warning };
  }
}
