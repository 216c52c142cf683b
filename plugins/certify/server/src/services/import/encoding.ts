/**
 * Timing systems export UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text"), or
 * Windows-1252 from older Windows tools. We detect which, decode, and tell the admin which was used
 * so a wrong guess is visible rather than silent mojibake.
 */
export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Decoded {
  text: string;
  encoding: DetectedEncoding;
}

// Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, smart quotes, Š, Ž…). It is a superset
// of Latin-1's printable range, so it decodes both. Node's TextDecoder treats the label as Latin-1.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

const decodeWindows1252 = (buf: Buffer) =>
  buf.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

export const decodeBuffer = (buf: Buffer): Decoded => {
  if (startsWith(buf, [0xef, 0xbb, 0xbf])) {
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (startsWith(buf, [0xff, 0xfe])) {
    return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  }
  if (startsWith(buf, [0xfe, 0xff])) {
    return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    // fatal: any byte sequence that is not UTF-8 throws, which is how we tell the two apart.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(buf), encoding: 'windows-1252' };
  }
};

export const describeEncoding = (encoding: DetectedEncoding): string =>
  ({
    'utf-8': 'UTF-8',
    'utf-8-bom': 'UTF-8 with BOM',
    'utf-16le': 'UTF-16 LE (BOM)',
    'utf-16be': 'UTF-16 BE (BOM)',
    'windows-1252': 'Windows-1252 / Latin-1',
  })[encoding];
