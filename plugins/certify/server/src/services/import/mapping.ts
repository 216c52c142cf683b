import type { ImportMapping, MappableField } from '../../../../shared/contracts/import';
import { RECORD_DATA_FIELDS } from '../../../../shared/contracts/records';

type DataField = (typeof RECORD_DATA_FIELDS)[number];

/** What a column can be mapped to: every certificate field but the computed seconds and `extra`, plus the email. */
export const MAPPABLE_FIELDS: MappableField[] = [
  ...RECORD_DATA_FIELDS.filter((f): f is Exclude<DataField, 'finishSeconds' | 'extra'> => f !== 'finishSeconds' && f !== 'extra'),
  'email',
];

/** Lower case, accents stripped, punctuation as spaces: "Bib #" → "bib", "Prénom" → "prenom". */
export const normaliseHeader = (header: string) =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const RANK = '(rank|place|pl|pos|position|platz|plaats|classement)';
const GENDER = '(gender|sex|m f|mf)';
const CATEGORY = '(category|cat|division|div|age group|agegroup|ag|age category|class|klasse|ak)';

/** [field, pattern on the normalised header, score]: the best-scoring header wins each field. */
const RULES: Array<[MappableField, RegExp, number]> = [
  ['rankGender', new RegExp(`^${GENDER} ${RANK}$|^${RANK} ${GENDER}$`), 96],
  ['rankCategory', new RegExp(`^${CATEGORY} ${RANK}$|^${RANK} ${CATEGORY}$`), 96],
  ['rankOverall', new RegExp(`^(overall|overall ${RANK}|${RANK} overall|gesamtplatz|${RANK})$`), 85],
  [
    'bib',
    /^(bib|bib number|bib no|bib nr|bibno|bibnr|bibnumber|number|no|nr|dossard|startnummer|startnr|start no|start nr|start number|race number|race no|dorsal|pettorale)$/,
    95,
  ],
  ['bib', /\bbib\b/, 60],
  ['email', /^(e ?mail|e ?mail address|mail)$/, 95],
  ['email', /\be ?mail\b/, 50],
  ['firstName', /^(first name|firstname|first|given name|forename|vorname|prenom|voornaam)$/, 95],
  ['lastName', /^(last name|lastname|last|surname|family name|nachname|nom|achternaam|nom de famille)$/, 95],
  ['name', /^(name|full name|fullname|athlete|runner|participant|competitor|athlete name|runner name|naam|name ctz|name country)$/, 90],
  ['name', /\bname\b/, 40],
  ['gender', /^(gender|sex|m f|mf|geschlecht|sexe|genre)$/, 95],
  ['category', new RegExp(`^(${CATEGORY.slice(1, -1)}|categorie|altersklasse)$`), 95],
  ['finishTime', /^(official time|official|official finish)$/, 97],
  ['finishTime', /^(finish time|finish|final time|finish net|time finish)$/, 94],
  ['finishTime', /^(net time|net|chip time|chip|nettozeit|netto)$/, 92],
  ['finishTime', /^(gun time|gun|bruttozeit|brutto)$/, 86],
  ['finishTime', /^(time|temps|zeit|tijd|result)$/, 80],
];

/**
 * A mapping from Certify fields to header names, guessed from the header names alone. Each
 * header maps to at most one field; the admin corrects it before committing.
 */
export const suggestMapping = (headers: string[]): ImportMapping => {
  const candidates: Array<{ field: MappableField; header: string; score: number; index: number }> = [];
  headers.forEach((header, index) => {
    const norm = normaliseHeader(header);
    if (!norm) return;
    for (const [field, pattern, score] of RULES) {
      if (pattern.test(norm)) candidates.push({ field, header, score, index });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  const mapping: ImportMapping = {};
  const used = new Set<string>();
  for (const c of candidates) {
    if (mapping[c.field] || used.has(c.header)) continue;
    mapping[c.field] = c.header;
    used.add(c.header);
  }
  return mapping;
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
