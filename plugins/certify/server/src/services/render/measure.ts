import type { TextElement } from '../../../../shared/contracts/templates';
import { DEFAULT_FAMILY } from './fonts';

/**
 * Whether a text element's value fits its box at the element's smallest size, estimated without
 * Chromium. Pre-flight checks every record of an event (25,000 and more) before publishing, so it
 * cannot lay out pages; instead each character gets its font's average advance width for its
 * class. The renderer measures the real text in Chromium and flags what still overflows on the
 * record (`renderWarnings`), so this estimate only has to catch the clear cases before anything is
 * rendered: it leans towards "fits" (widths are taken a little narrow), never towards false alarms.
 */

/** Average advance widths in em at weight 400, by character class. */
interface Metrics {
  lower: number;
  upper: number;
  digit: number;
  space: number;
  punct: number;
}

/**
 * Measured here (Chromium 156, the @fontsource latin files the renderer serves, 100 px, averages of
 * a–z, A–Z, 0–9, ten spaces and `.,:;-'()/&`). Bold was 3–10 % wider (Great Vibes has no bold).
 */
const METRICS: Record<string, Metrics> = {
  inter: { lower: 0.535, upper: 0.681, digit: 0.592, space: 0.281, punct: 0.366 },
  'eb garamond': { lower: 0.437, upper: 0.659, digit: 0.48, space: 0.2, punct: 0.32 },
  'playfair display': { lower: 0.508, upper: 0.64, digit: 0.476, space: 0.249, punct: 0.355 },
  'great vibes': { lower: 0.317, upper: 0.97, digit: 0.383, space: 0.171, punct: 0.368 },
  oswald: { lower: 0.4, upper: 0.489, digit: 0.469, space: 0.229, punct: 0.275 },
  'jetbrains mono': { lower: 0.6, upper: 0.6, digit: 0.6, space: 0.6, punct: 0.6 },
  'noto sans': { lower: 0.53, upper: 0.634, digit: 0.572, space: 0.26, punct: 0.332 },
};
const BOLD = 1.05;
/** CJK ideographs and kana are one em wide in every font that has them. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
/** The estimate is scaled down by this much: a borderline value is left to the renderer's real measurement. */
const LENIENCY = 0.92;
const MM_PER_PT = 25.4 / 72;

/** Widths of the ASCII characters by code, per font: the common case without a regex per character. */
const asciiTables = new Map<Metrics, Float64Array>();
const asciiTable = (m: Metrics) => {
  let table = asciiTables.get(m);
  if (!table) {
    table = new Float64Array(128);
    for (let code = 0; code < 128; code += 1) table[code] = slowCharEm(String.fromCharCode(code), m);
    asciiTables.set(m, table);
  }
  return table;
};

const slowCharEm = (c: string, m: Metrics): number => {
  if (c === ' ' || c === '\t') return m.space;
  if (c >= '0' && c <= '9') return m.digit;
  if (WIDE.test(c)) return 1;
  if (c !== c.toLowerCase()) return m.upper;
  if (c !== c.toUpperCase()) return m.lower;
  return /\p{L}/u.test(c) ? m.lower : m.punct;
};

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x60;': '`', '&#x3D;': '=' };
/** Handlebars output as the reader sees it (record values in it are HTML-escaped). */
export const visibleText = (html: string) => html.replace(/&(amp|lt|gt|quot|#x27|#x60|#x3D);/g, (e) => HTML_ENTITIES[e] ?? e);

/** The size (pt) a text element ends at when its value is too long: its minimum when it shrinks. */
export const smallestSize = (el: Pick<TextElement, 'fontSize' | 'shrinkToFit' | 'minFontSize'>) => {
  const size = el.fontSize ?? 18;
  return el.shrinkToFit ? Math.min(size, el.minFontSize ?? Math.min(size, 6)) : size;
};

/**
 * Whether `text` overflows the element's box at its smallest size. A single-line element overflows
 * when a line is wider than the box; one that wraps (`wrap`, or `shrinkToFit` once at its minimum,
 * as the renderer does) breaks between words and inside words too long for a line, and overflows
 * when its lines are taller than the box.
 */
export const overflowsAtMinimum = (el: TextElement, text: string, defaultFamily = DEFAULT_FAMILY): boolean => {
  if (!text.trim()) return false;
  const metrics = METRICS[(el.fontFamily ?? defaultFamily).toLowerCase()] ?? METRICS[DEFAULT_FAMILY.toLowerCase()];
  const sizeMm = smallestSize(el) * MM_PER_PT;
  const spacing = el.letterSpacing ?? 0;
  const scale = sizeMm * ((el.fontWeight ?? 400) >= 600 ? BOLD : 1) * LENIENCY;
  const ascii = asciiTable(metrics);
  const widthOf = (c: string) => {
    const code = c.charCodeAt(0);
    return ((code < 128 ? ascii[code] : slowCharEm(c, metrics)) + spacing) * scale;
  };
  const lineMm = sizeMm * (el.lineHeight ?? 1.2);
  const value = el.uppercase ? text.toUpperCase() : text;
  const paragraphs = value.split('\n');
  const wraps = Boolean(el.shrinkToFit || el.wrap);
  // Most values are far from the limit: even at one em per character they fit on one line.
  if (paragraphs.length * lineMm <= el.height && value.length * (1 + Math.max(0, spacing)) * scale <= el.width) return false;

  if (!wraps) {
    const widest = Math.max(...paragraphs.map((p) => [...p].reduce((sum, c) => sum + widthOf(c), 0)));
    return widest > el.width || paragraphs.length * lineMm * LENIENCY > el.height;
  }
  let lines = 0;
  for (const paragraph of paragraphs) {
    lines += 1;
    let used = 0;
    for (const word of paragraph.split(/(?<= )/)) {
      const chars = [...word];
      const width = chars.reduce((sum, c) => sum + widthOf(c), 0);
      if (used + width <= el.width) {
        used += width;
        continue;
      }
      if (used > 0) {
        lines += 1;
        used = 0;
      }
      if (width <= el.width) {
        used = width;
        continue;
      }
      // A word longer than a line breaks anywhere (overflow-wrap: anywhere).
      for (const c of chars) {
        const w = widthOf(c);
        if (used + w > el.width && used > 0) {
          lines += 1;
          used = 0;
        }
        used += w;
      }
    }
  }
  return lines * lineMm > el.height;
};
