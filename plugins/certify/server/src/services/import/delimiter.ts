import Papa from 'papaparse';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * The delimiter that splits the first rows into the same number of fields (more than one) most
 * consistently; ties go to the one giving more fields. Quoted fields are honoured, so a
 * "Last, First" name in a semicolon file does not make it look comma-separated.
 */
export const detectDelimiter = (text: string): Delimiter => {
  const sample = text.slice(0, 64 * 1024);
  let best: { delimiter: Delimiter; consistency: number; fields: number } = { delimiter: ',', consistency: -1, fields: 0 };
  for (const delimiter of DELIMITERS) {
    const { data } = Papa.parse<string[]>(sample, { delimiter, preview: 30, skipEmptyLines: 'greedy' });
    // The last sampled row may be cut off by the sample window.
    const rows = data.length > 2 && sample.length < text.length ? data.slice(0, -1) : data;
    if (!rows.length) continue;
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    const [fields, hits] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
    if (fields < 2) continue;
    const consistency = hits / rows.length;
    if (consistency > best.consistency || (consistency === best.consistency && fields > best.fields)) {
      best = { delimiter, consistency, fields };
    }
  }
  return best.delimiter;
};
