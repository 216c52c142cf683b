import type { FontFamily } from './contracts/templates';

/**
 * How a designer text element looks, for the renderer (server/src/services/render/html.ts) and the
 * admin's canvas alike: the font stack with its script fallbacks and the defaults of the unset
 * properties. One copy, so the canvas cannot drift from the render.
 */

export const DEFAULT_FAMILY = 'Inter';

/** What a text element without its own value gets. */
export const TEXT_DEFAULTS = { fontSize: 18, fontWeight: 400, color: '#000000', lineHeight: 1.2 } as const;

/**
 * Families appended to every text element's font stack, with the scripts that pull them in.
 * The renderer declares only those whose script occurs in a batch, which keeps the 100 KB of CJK
 * @font-face rules out of the documents that do not need them.
 */
const FALLBACKS: Array<{ family: string; test: RegExp }> = [
  { family: 'Noto Sans', test: /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u },
  { family: 'Noto Sans Arabic', test: /\p{Script=Arabic}/u },
  { family: 'Noto Sans Hebrew', test: /\p{Script=Hebrew}/u },
  { family: 'Noto Sans Devanagari', test: /\p{Script=Devanagari}/u },
  { family: 'Noto Sans Thai', test: /\p{Script=Thai}/u },
  { family: 'Noto Sans SC', test: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u },
];
export const FALLBACK_FAMILIES = FALLBACKS.map((f) => f.family);

/** The fallback families a piece of text needs. */
export const fallbacksFor = (text: string): string[] => FALLBACKS.filter((f) => f.test.test(text)).map((f) => f.family);

/** Families for designs, by category, in the order the designer lists them (the fallbacks follow). */
export const DESIGN_FAMILIES: Array<[FontFamily['category'], ...string[]]> = [
  ['sans-serif', 'Inter'],
  ['serif', 'EB Garamond', 'Playfair Display'],
  ['handwriting', 'Great Vibes'],
  ['display', 'Oswald'],
  ['monospace', 'JetBrains Mono'],
];

/** Every built-in family name: the design families, then the fallbacks. */
export const BUILTIN_FAMILY_NAMES = [...DESIGN_FAMILIES.flatMap(([, ...families]) => families), ...FALLBACK_FAMILIES];

/** A font stack that ends in the fallbacks, so no name in a covered script shows missing glyphs. */
export const fontStack = (family: string) =>
  [family, ...FALLBACK_FAMILIES.filter((f) => f !== family)].map((f) => `'${f}'`).join(',');

export interface FontUse {
  family: string;
  weight: number;
  italic: boolean;
}

/** The family, weight and style of each text element of a design, once each. */
export const designFontUses = (design: {
  fontFamily?: string;
  elements: ReadonlyArray<{ type: string; fontFamily?: string; fontWeight?: number; italic?: boolean }>;
}): FontUse[] => {
  const uses = new Map<string, FontUse>();
  for (const el of design.elements) {
    if (el.type !== 'text') continue;
    const use = { family: el.fontFamily ?? design.fontFamily ?? DEFAULT_FAMILY, weight: el.fontWeight ?? TEXT_DEFAULTS.fontWeight, italic: !!el.italic };
    uses.set(`${use.family}/${use.weight}/${use.italic}`, use);
  }
  return [...uses.values()];
};

/** The fallback families the text of a document needs, at each weight/style the document uses. */
export const fallbackUses = (uses: FontUse[], text: string): FontUse[] => {
  const styles = new Map(uses.map((u) => [`${u.weight}/${u.italic}`, u]));
  return fallbacksFor(text).flatMap((family) => [...styles.values()].map((u) => ({ family, weight: u.weight, italic: u.italic })));
};
