import type { ImportMapping, MappableField } from '../../../../shared/contracts/import';
import { RECORD_DATA_FIELDS } from '../../../../shared/contracts/records';
import type { ColumnExplanation } from '../../../../shared/contracts/mapping';
import { isMissingTime, parseTime } from './time';
import { isSexValue, normaliseSex, parseRank } from './values';

type DataField = (typeof RECORD_DATA_FIELDS)[number];

/** What a column can be mapped to: every certificate field but the computed seconds and `extra`, plus the email. */
export const MAPPABLE_FIELDS: MappableField[] = [
  ...RECORD_DATA_FIELDS.filter((f): f is Exclude<DataField, 'finishSeconds' | 'extra'> => f !== 'finishSeconds' && f !== 'extra'),
  'email',
];

/**
 * The rows the mapping reads besides the header: the first ones of the file, held while they are
 * read (never a second pass). Bounded in cells too, so a very wide file holds no more.
 */
export const MAPPING_SAMPLE_ROWS = 500;
export const MAPPING_SAMPLE_CELLS = 200_000;

/**
 * Lower case, camelCase split, accents stripped, punctuation as spaces:
 * "Bib #" → "bib", "Prénom" → "prenom", "RankOverGender" → "rank over gender".
 */
export const normaliseHeader = (header: string) =>
  header
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Headers written as one lower-case word ("chiptime", "rankbycat", Wiclax's JSON fields) split
 * into the words the rules read: "chip time", "rank by cat".
 */
const splitCompounds = (norm: string) =>
  norm
    .replace(/\b(chip|gun|net|clock|finish|official|final|race)(time|zeit)\b/g, '$1 $2')
    .replace(/^(rank|place|pos|position|platz)(by|in|over)?(cat|category|sex|gender|div|division|overall|ag|agegroup)$/, (_, a, b, c) => [a, b, c].filter(Boolean).join(' '));

/** What the sampled values of one column look like. */
interface Profile {
  /** Values that are neither empty nor a missing marker (-, DNF, n/a…). */
  filled: number;
  integers: number;
  min: number;
  max: number;
  /** Values that read as a clock time (a colon) or a number of seconds. */
  times: number;
  clockTimes: number;
  sexes: Set<string>;
  sexValues: number;
  emails: number;
  letters: number;
  distinct: Set<string>;
  examples: string[];
}

const MAX_DISTINCT = 1000;

const profileColumn = (rows: string[][], index: number): Profile => {
  const p: Profile = { filled: 0, integers: 0, min: Infinity, max: -Infinity, times: 0, clockTimes: 0, sexes: new Set(), sexValues: 0, emails: 0, letters: 0, distinct: new Set(), examples: [] };
  for (const row of rows) {
    const v = (row[index] ?? '').trim();
    if (!v || isMissingTime(v)) continue;
    p.filled++;
    if (p.distinct.size < MAX_DISTINCT) p.distinct.add(v);
    if (p.examples.length < 3 && !p.examples.includes(v)) p.examples.push(v);
    const rank = parseRank(v);
    if (typeof rank === 'number') {
      p.integers++;
      p.min = Math.min(p.min, rank);
      p.max = Math.max(p.max, rank);
    }
    if (typeof parseTime(v) === 'number') {
      p.times++;
      if (v.includes(':')) p.clockTimes++;
    }
    if (isSexValue(v)) {
      p.sexValues++;
      p.sexes.add(normaliseSex(v));
    }
    if (v.includes('@')) p.emails++;
    if (/\p{L}/u.test(v)) p.letters++;
  }
  return p;
};

/** At least this share of a column's filled values must fit, so a stray value does not flip a column. */
const share = (count: number, p: Profile, min = 0.9) => p.filled === 0 || count >= p.filled * min;

const isIntegerColumn = (p: Profile) => share(p.integers, p);
// A column of nothing but zeros is a place the timing system did not compute (Wiclax's rankbysex).
const isRankColumn = (p: Profile) => isIntegerColumn(p) && (p.integers === 0 || p.max > 0);
const isSexColumn = (p: Profile) => share(p.sexValues, p, 0.95);
// Categories may have no letters ("20-39"), but a column of whole numbers is a place, not a category.
const isTextColumn = (p: Profile) => p.filled === 0 || !isIntegerColumn(p);
const isTimeColumn = (p: Profile) => share(p.times, p, 0.8);
const isClockColumn = (p: Profile) => p.filled > 0 && share(p.clockTimes, p, 0.8);

const RANK = '(rank|place|pl|pos|position|platz|plaats|classement|clas|clt|rang|placing)';
const CONNECT = '(?: (?:over|in|by|within))?';
const GENDER = '(gender|sex|sexe|m f|mf|gen|g|s)';
const CATEGORY = '(category|cat|division|div|age group|agegroup|ag|age category|age class|class|klasse|ak|group)';
const CATEGORY_NAMES = /^(category|cat|division|div|age group|agegroup|ag|age category|age class|age grp|race category|class|klasse|ak|categorie|altersklasse|group)$/;

/** Headers that hold a time but never the finish time, with what they are for the explanation. */
const NOT_FINISH: Array<[RegExp, string]> = [
  [/\bpace\b|\bmin (km|mi|mile)\b|\bper (km|mi|mile)\b|\bmin k\b/, 'a pace'],
  [/\b(proj|projected|predicted|estimated|est)\b/, 'a projected time'],
  [/\b(behind|gap|diff|difference|back)\b/, 'a time behind'],
  [/\b(start|tod|time of day|clock in)\b/, 'a time of day'],
  [/\b(age grade|age graded|ag time|ag grade)\b/, 'an age-graded figure'],
  [/\b(speed|kmh|km h|mph|avg|average)\b/, 'a speed'],
];

const SPLIT =
  /^(\d+(\.\d+)? ?(k|km|mi|mile|miles)|half|hm|half marathon|halfway|halbmarathon|semi|(split|lap|leg|km|mile|mi|checkpoint|cp) ?\d+|\d+(st|nd|rd|th)? (split|lap|leg)|split|.* split|swim|bike|cycle|run|t1|t2|transition ?\d?)$/;

/** How much a header says "finish time", by its qualifier; 0 when it does not say it at all. */
const finishTimeScore = (norm: string): number => {
  if (NOT_FINISH.some(([re]) => re.test(norm)) || SPLIT.test(norm)) return 0;
  if (!/\b(time|temps|zeit|tijd|tiempo|tempo|result|finish|official|offl|net|netto|nettozeit|chip|gun|clock|brutto|bruttozeit|final|ziel|zielzeit|total)\b/.test(norm)) return 0;
  if (/\b(gun|clock|brutto|bruttozeit)\b/.test(norm)) return 80;
  if (/\b(official|offl)\b/.test(norm)) return 97;
  if (/\b(net|netto|nettozeit|chip)\b/.test(norm)) return 95;
  if (/\b(finish|final|ziel|zielzeit)\b/.test(norm)) return 93;
  return 88;
};

/** Certify's own export columns that are not data to import: they are recomputed or issued by Certify. */
const ownColumn = (norm: string, headersNorm: Set<string>): string | null => {
  if (norm === 'verification code') return 'issued by Certify for each record, never read from a file';
  if (norm === 'status' && headersNorm.has('verification code')) return "the record's publishing status in Certify's own export, not data";
  return null;
};

/** "finishSeconds": Certify's field for the time in seconds; the time itself when the file has no finish time column. */
export const isSecondsHeader = (header: string) => /^(finish seconds|finish time seconds|time seconds|seconds)$/.test(normaliseHeader(header));

interface Rule {
  field: MappableField;
  pattern: RegExp;
  score: number;
  /** What the column's values must look like (sampled); any values pass when nothing was sampled. */
  fits: (p: Profile) => boolean;
}

const RULES: Rule[] = [
  { field: 'rankGender', pattern: new RegExp(`^${GENDER}${CONNECT} ${RANK}$|^${RANK}${CONNECT} ${GENDER}$|^(gp|genderdiv|gender div|sexdiv)$`), score: 96, fits: isRankColumn },
  { field: 'rankCategory', pattern: new RegExp(`^${CATEGORY}${CONNECT} ${RANK}$|^${RANK}${CONNECT} ${CATEGORY}$|^(ak platz|ak rang)$`), score: 96, fits: isRankColumn },
  { field: 'rankOverall', pattern: new RegExp(`^(overall|oa|overall ${RANK}|${RANK}${CONNECT} overall|oa ${RANK}|${RANK} oa|gesamtplatz|gesamt|${RANK})$`), score: 85, fits: isRankColumn },
  // A sex or category column that holds whole numbers is the place within it ("Gender", "Division").
  { field: 'rankGender', pattern: /^(gender|sex)$/, score: 90, fits: (p) => p.filled > 0 && isRankColumn(p) },
  { field: 'rankCategory', pattern: CATEGORY_NAMES, score: 90, fits: (p) => p.filled > 0 && isRankColumn(p) },
  {
    field: 'bib',
    pattern: /^(bib|bib number|bib no|bib nr|bibno|bibnr|bibnumber|number|no|nr|dossard|doss|startnummer|startnr|start no|start nr|start number|race number|race no|runner number|dorsal|pettorale)$/,
    score: 95,
    // Duplicated bibs are reported row by row, so the column is not judged by them.
    fits: () => true,
  },
  { field: 'bib', pattern: /\bbib\b/, score: 60, fits: (p) => share(p.distinct.size, p, 0.5) },
  { field: 'email', pattern: /^(e ?mail|e ?mail address|mail)$/, score: 95, fits: (p) => share(p.emails, p, 0.5) },
  { field: 'email', pattern: /\be ?mail\b/, score: 50, fits: (p) => share(p.emails, p, 0.5) },
  { field: 'firstName', pattern: /^(first name|firstname|first|given name|forename|vorname|prenom|voornaam)$/, score: 95, fits: (p) => share(p.letters, p, 0.5) },
  { field: 'lastName', pattern: /^(last name|lastname|last|surname|family name|nachname|nom|achternaam|nom de famille)$/, score: 95, fits: (p) => share(p.letters, p, 0.5) },
  {
    field: 'name',
    pattern: /^(name|full name|fullname|athlete|runner|participant|competitor|athlete name|runner name|naam|name ctz|name country|prenom nom|nom prenom)$/,
    score: 90,
    fits: (p) => share(p.letters, p, 0.5),
  },
  { field: 'name', pattern: /\bname\b/, score: 40, fits: (p) => share(p.letters, p, 0.5) },
  // A relay's certificate names the team.
  { field: 'name', pattern: /^(team|team name|equipe|mannschaft)$/, score: 35, fits: (p) => share(p.letters, p, 0.5) },
  { field: 'gender', pattern: /^(gender|sex|m f|mf|geschlecht|sexe|genre)$/, score: 95, fits: isSexColumn },
  { field: 'category', pattern: CATEGORY_NAMES, score: 95, fits: isTextColumn },
  { field: 'finishTime', pattern: /^(finish seconds|finish time seconds|time seconds|seconds)$/, score: 70, fits: isTimeColumn },
];

interface Candidate {
  field: MappableField;
  header: string;
  index: number;
  score: number;
}

export type ColumnProfile = Profile;

export interface MappingProposal {
  mapping: ImportMapping;
  profiles: ColumnProfile[];
  /** Time columns that could have been the finish time but lost to the chosen one. */
  finishAlternatives: string[];
  /** Columns Certify does not store (its own export's bookkeeping), with why. */
  ignored: Map<string, string>;
  /** Why each column was (or was not) chosen, as shown to the organiser. */
  explanations: ColumnExplanation[];
}

const FIELD_LABELS: Record<MappableField, string> = {
  bib: 'bib',
  name: 'name',
  firstName: 'first name',
  lastName: 'last name',
  email: 'email',
  category: 'category',
  gender: 'sex',
  finishTime: 'finish time',
  rankOverall: 'overall rank',
  rankGender: 'gender rank',
  rankCategory: 'category rank',
};

const fmt = (n: number) => n.toLocaleString('en');
const quoteList = (values: string[]) => values.map((v) => `"${v.length > 30 ? `${v.slice(0, 30)}…` : v}"`).join(', ');

/** Whole-file ranges of the mapped rank columns, known once every row is read. */
export type RankRanges = Partial<Record<'rankOverall' | 'rankGender' | 'rankCategory', { min: number; max: number }>>;

/** Why the values fit the field, in words ("whole numbers 1–25,756"). */
const valuesSay = (field: MappableField, p: Profile, ranges: RankRanges): string | null => {
  if (p.filled === 0) return null;
  switch (field) {
    case 'rankOverall':
    case 'rankGender':
    case 'rankCategory': {
      const range = ranges[field] ?? p;
      return `whole numbers ${fmt(range.min)}–${fmt(range.max)}`;
    }
    case 'gender':
      return `values ${[...p.sexes].sort().join('/')}`;
    case 'finishTime':
      return `times like ${p.examples[0]}`;
    case 'bib':
      return `unique values like ${p.examples.join(', ')}`;
    default:
      return `values like ${quoteList(p.examples)}`;
  }
};

export type Origin = 'suggested' | 'saved' | 'remembered' | 'sent';

const explainField = (field: MappableField, header: string, p: Profile, origin: Origin, alternatives: string[], ranges: RankRanges) => {
  const head = `${header} → ${FIELD_LABELS[field]}`;
  if (origin === 'sent') return `${head}: as set in the mapping`;
  if (origin === 'saved') return `${head}: the mapping saved for this source`;
  if (origin === 'remembered') return `${head}: as you mapped it for the last file with these columns`;
  const values = valuesSay(field, p, ranges);
  let text = `${head}: ${values ? `${values} in a column named ${header}` : `a column named ${header}`}`;
  if (alternatives.length) text += `; preferred over ${alternatives.join(', ')}`;
  return text;
};

/**
 * Proposes a mapping from each column's name and its sampled values together: a column named like
 * a place becomes a rank only when it holds whole numbers, "Gender"/"Division" holding whole
 * numbers are places, a sex column must hold M/F/X spellings, net/chip/official times win over
 * gun/clock times, and paces, projected times and splits never become the finish time. Each
 * header maps to at most one field.
 */
export const proposeMapping = (headers: string[], sample: string[][] = []): MappingProposal => {
  const profiles = headers.map((_, i) => profileColumn(sample, i));
  const norms = headers.map((h) => splitCompounds(normaliseHeader(h)));
  const normSet = new Set(norms);
  const ignored = new Map<string, string>();
  const candidates: Candidate[] = [];
  headers.forEach((header, index) => {
    const norm = norms[index];
    if (!norm) return;
    const own = ownColumn(norm, normSet);
    if (own) {
      ignored.set(header, own);
      return;
    }
    const p = profiles[index];
    for (const rule of RULES) {
      if (rule.pattern.test(norm) && rule.fits(p)) candidates.push({ field: rule.field, header, index, score: rule.score });
    }
    // A column named as a time is the finish time even with a few bad values (they are reported
    // row by row); "Total" is points as often as a time, so only clock times make it one.
    const timeScore = finishTimeScore(norm);
    if (timeScore && (!/\btotal\b/.test(norm) || isClockColumn(p))) candidates.push({ field: 'finishTime', header, index, score: timeScore });
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const mapping: ImportMapping = {};
  const used = new Set<string>();
  for (const c of candidates) {
    if (mapping[c.field] || used.has(c.header)) continue;
    // With first and last names there is a name already: a team or "… name" column is not it.
    if (c.field === 'name' && c.score < 90 && mapping.firstName && mapping.lastName) continue;
    mapping[c.field] = c.header;
    used.add(c.header);
  }
  // The seconds column repeats the finish time when there is one (Certify's own export).
  headers.forEach((header) => {
    if (!used.has(header) && isSecondsHeader(header) && mapping.finishTime) {
      ignored.set(header, `the finish time in seconds, computed from ${mapping.finishTime}`);
    }
  });
  const finishAlternatives = candidates.filter((c) => c.field === 'finishTime' && !used.has(c.header)).map((c) => c.header);
  const explanations = explainColumns(headers, mapping, { profiles, ignored, origin: () => 'suggested', finishAlternatives });
  return { mapping, profiles, finishAlternatives, ignored, explanations };
};

/**
 * One line per column for the mapping that will be used, which may be the proposal, the mapping
 * saved for the source or one the organiser sent.
 */
export const explainColumns = (
  headers: string[],
  mapping: ImportMapping,
  ctx: {
    profiles: Profile[];
    ignored: Map<string, string>;
    origin: (field: MappableField) => Origin;
    finishAlternatives: string[];
    ranges?: RankRanges;
  }
): ColumnExplanation[] => {
  const fieldOf = new Map<string, MappableField>();
  for (const [field, header] of Object.entries(mapping) as Array<[MappableField, string | null]>) if (header) fieldOf.set(header, field);
  return headers.map((header, i) => {
    const p = ctx.profiles[i];
    const field = fieldOf.get(header);
    if (field) {
      const alternatives = field === 'finishTime' ? ctx.finishAlternatives : [];
      return { column: header, field, kind: 'field', text: explainField(field, header, p, ctx.origin(field), alternatives, ctx.ranges ?? {}) };
    }
    const ignoredWhy = ctx.ignored.get(header);
    if (ignoredWhy) return { column: header, field: null, kind: 'ignored', text: `${header} → not stored: ${ignoredWhy}` };
    const norm = normaliseHeader(header);
    if (SPLIT.test(norm) && (p.filled === 0 || isClockColumn(p))) {
      return { column: header, field: null, kind: 'split', text: `${header} → split time${p.filled ? ` (times like ${p.examples[0]})` : ''}, kept in extra data` };
    }
    const notFinish = NOT_FINISH.find(([re]) => re.test(norm));
    if (notFinish && p.filled > 0 && isClockColumn(p)) {
      return { column: header, field: null, kind: 'extra', text: `${header} → not the finish time: ${notFinish[1]}, kept in extra data` };
    }
    return { column: header, field: null, kind: 'extra', text: `${header} → kept in extra data` };
  });
};

/** Problems with a mapping the admin sent, as messages that say what to fix. */
export const checkMapping = (mapping: ImportMapping, headers: string[]): string[] => {
  const problems: string[] = [];
  const known = new Set(headers);
  for (const [field, header] of Object.entries(mapping)) {
    if (!MAPPABLE_FIELDS.includes(field as MappableField)) {
      problems.push(`"${field}" is not a record field; map one of ${MAPPABLE_FIELDS.join(', ')}`);
    } else if (header !== null && header !== undefined && header !== '' && !known.has(header)) {
      problems.push(`${field} is mapped to column "${header}", which the file does not have (columns: ${headers.join(', ')})`);
    }
  }
  if (!mapping.bib) problems.push('map a column to bib: records are matched on (event, bib)');
  return problems;
};
