import fs from 'node:fs';
import path from 'node:path';
import type { FontFamily } from '../../../../shared/contracts/templates';
import { DESIGN_FAMILIES, FALLBACK_FAMILIES } from '../../../../shared/text';

/**
 * Fonts shipped through npm (@fontsource): the page gets @font-face rules whose URLs point at the
 * renderer's private origin, and the renderer answers those requests from the package files. The
 * rules keep fontsource's unicode-range subsets, so Chromium fetches only the subsets a page uses.
 */
export const ASSET_ORIGIN = 'https://certify.invalid';

export { DEFAULT_FAMILY, FALLBACK_FAMILIES, fallbacksFor, fontStack } from '../../../../shared/text';

interface Builtin {
  family: string;
  pkg: string;
  category: FontFamily['category'];
}

// Each family is the @fontsource package of its name in kebab case ("EB Garamond" → eb-garamond).
const builtin = (family: string, category: FontFamily['category']): Builtin => ({
  family,
  pkg: family.toLowerCase().replace(/ /g, '-'),
  category,
});

const BUILTINS: Builtin[] = [
  ...DESIGN_FAMILIES.flatMap(([category, ...families]) => families.map((family) => builtin(family, category))),
  ...FALLBACK_FAMILIES.map((family) => builtin(family, 'sans-serif')),
];

const byFamily = new Map(BUILTINS.map((b) => [b.family.toLowerCase(), b]));
const byPkg = new Map(BUILTINS.map((b) => [b.pkg, b]));

const pkgDirs = new Map<string, string>();
const pkgDir = (pkg: string): string => {
  let dir = pkgDirs.get(pkg);
  if (!dir) {
    dir = path.dirname(require.resolve(`@fontsource/${pkg}/package.json`));
    pkgDirs.set(pkg, dir);
  }
  return dir;
};

interface PkgInfo {
  weights: number[];
  italic: boolean;
  scripts: string[];
}
const pkgInfos = new Map<string, PkgInfo>();
const pkgInfo = (pkg: string): PkgInfo => {
  let info = pkgInfos.get(pkg);
  if (!info) {
    const files = fs.readdirSync(pkgDir(pkg));
    const weights = files
      .map((f) => /^(\d{3})\.css$/.exec(f)?.[1])
      .filter((w): w is string => !!w)
      .map(Number)
      .sort((a, b) => a - b);
    const scripts = new Set<string>();
    for (const f of fs.readdirSync(path.join(pkgDir(pkg), 'files'))) {
      const m = /-([a-z]+(?:-ext)?)-\d{3}-(?:normal|italic)\.woff2$/.exec(f);
      if (m && !/^\d+$/.test(m[1])) scripts.add(m[1].replace(/-ext$/, ''));
    }
    if (pkg === 'noto-sans-sc') scripts.add('chinese');
    info = { weights: weights.length ? weights : [400], italic: files.some((f) => /^\d{3}-italic\.css$/.test(f)), scripts: [...scripts].sort() };
    pkgInfos.set(pkg, info);
  }
  return info;
};

const nearest = (weights: number[], wanted: number) =>
  weights.reduce((best, w) => (Math.abs(w - wanted) < Math.abs(best - wanted) ? w : best), weights[0]);

const cssCache = new Map<string, string>();
/** fontsource's CSS for one weight/style with its URLs moved to the renderer's origin, woff2 only. */
const pkgCss = (pkg: string, weight: number, italic: boolean): string => {
  const key = `${pkg}/${weight}/${italic}`;
  let css = cssCache.get(key);
  if (css === undefined) {
    const file = path.join(pkgDir(pkg), `${weight}${italic ? '-italic' : ''}.css`);
    css = fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .replace(/,\s*url\(\.\/files\/[^)]+\.woff\)\s*format\('woff'\)/g, '')
          .replace(/url\(\.\/files\/([^)]+)\)/g, (_m, f: string) => `url(${ASSET_ORIGIN}/fonts/${pkg}/${f})`)
      : '';
    cssCache.set(key, css);
  }
  return css;
};

export interface CustomFont {
  family: string;
  weight: number;
  italic: boolean;
  /** Asset key the renderer serves the bytes under. */
  assetKey: string;
  format: 'truetype' | 'opentype' | 'woff' | 'woff2';
}

/** A family a design may use: a built-in one or an uploaded font's family. */
export const isKnownFamily = (family: string, custom: CustomFont[] = []) =>
  byFamily.has(family.toLowerCase()) || custom.some((c) => c.family.toLowerCase() === family.toLowerCase());

/** The @font-face rules for families at the weights/styles a document uses. */
export const fontFaceCss = (
  uses: Array<{ family: string; weight: number; italic: boolean }>,
  custom: CustomFont[] = []
): string => {
  const out = new Set<string>();
  for (const use of uses) {
    const builtin = byFamily.get(use.family.toLowerCase());
    if (builtin) {
      const info = pkgInfo(builtin.pkg);
      const weight = nearest(info.weights, use.weight);
      out.add(pkgCss(builtin.pkg, weight, use.italic && info.italic));
      continue;
    }
    for (const c of custom) {
      if (c.family.toLowerCase() !== use.family.toLowerCase()) continue;
      out.add(
        `@font-face{font-family:'${c.family}';font-weight:${c.weight};font-style:${c.italic ? 'italic' : 'normal'};` +
          `src:url(${ASSET_ORIGIN}/asset/${c.assetKey}) format('${c.format}');}`
      );
    }
  }
  return [...out].join('\n');
};

/** Bytes of a fontsource file requested by a page, or null when the path is not one of ours. */
export const builtinFontFile = (pkg: string, file: string): Buffer | null => {
  if (!byPkg.has(pkg) || !/^[a-z0-9-]+\.woff2$/.test(file)) return null;
  const full = path.join(pkgDir(pkg), 'files', file);
  return fs.existsSync(full) ? fs.readFileSync(full) : null;
};

export const builtinFamilies = (): FontFamily[] =>
  BUILTINS.map((b) => {
    const info = pkgInfo(b.pkg);
    return { family: b.family, category: b.category, source: 'builtin', weights: info.weights, italic: info.italic, scripts: info.scripts };
  });

/**
 * Family name, weight and style of a TrueType/OpenType font from its name and OS/2 tables, so an
 * uploaded font is used by the name a designer knows it by. Returns null for anything unreadable.
 */
export const readSfntNames = (buf: Buffer): { family: string; weight: number; italic: boolean } | null => {
  try {
    const tag = buf.toString('latin1', 0, 4);
    if (!['\x00\x01\x00\x00', 'OTTO', 'true'].includes(tag)) return null;
    const numTables = buf.readUInt16BE(4);
    const tables = new Map<string, number>();
    for (let i = 0; i < numTables; i += 1) {
      const rec = 12 + i * 16;
      tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
    }
    const nameOff = tables.get('name');
    if (nameOff === undefined) return null;
    const count = buf.readUInt16BE(nameOff + 2);
    const strings = buf.readUInt16BE(nameOff + 4);
    const found: Record<number, string> = {};
    for (let i = 0; i < count; i += 1) {
      const rec = nameOff + 6 + i * 12;
      const platform = buf.readUInt16BE(rec);
      const nameId = buf.readUInt16BE(rec + 6);
      const length = buf.readUInt16BE(rec + 8);
      const offset = buf.readUInt16BE(rec + 10);
      if (![1, 16].includes(nameId) || found[nameId]) continue;
      const raw = buf.subarray(nameOff + strings + offset, nameOff + strings + offset + length);
      if (platform === 3 || platform === 0) {
        const chars: string[] = [];
        for (let j = 0; j + 1 < raw.length; j += 2) chars.push(String.fromCharCode(raw.readUInt16BE(j)));
        found[nameId] = chars.join('');
      } else if (platform === 1) found[nameId] = raw.toString('latin1');
    }
    const family = (found[16] || found[1] || '').trim();
    if (!family) return null;
    const os2 = tables.get('OS/2');
    const weight = os2 !== undefined ? buf.readUInt16BE(os2 + 4) : 400;
    const italic = os2 !== undefined ? (buf.readUInt16BE(os2 + 62) & 1) === 1 : false;
    return { family, weight: weight >= 100 && weight <= 900 ? weight : 400, italic };
  } catch {
    return null;
  }
};

/** Family from a file name for formats whose tables are compressed ("Lobster-BoldItalic.woff2"). */
export const namesFromFileName = (name: string): { family: string; weight: number; italic: boolean } => {
  const base = name.replace(/\.[a-z0-9]+$/i, '');
  const [fam, style = ''] = base.split(/[-_](?=[A-Za-z]*$)/);
  const weights: Record<string, number> = { thin: 100, extralight: 200, light: 300, regular: 400, medium: 500, semibold: 600, bold: 700, extrabold: 800, black: 900 };
  const s = style.toLowerCase();
  const weight = Object.entries(weights).find(([k]) => s.replace('italic', '') === k)?.[1] ?? 400;
  const family = (style && !/^(thin|extralight|light|regular|medium|semibold|bold|extrabold|black)?(italic)?$/i.test(style) ? base : fam)
    .replace(/[^\p{L}\p{N} _-]/gu, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
    .slice(0, 64);
  return { family: family || 'Custom', weight, italic: /italic/.test(s) };
};

/**
 * The same rules for a page other than the renderer's (the admin's designer canvas): built-in
 * files from `fontsBase` (the plugin's public font route), uploaded fonts from `assetUrl` (their
 * media library URL; a rule whose file is unknown is dropped).
 */
export const rebaseFontCss = (css: string, fontsBase: string, assetUrl: (assetKey: string) => string | null): string =>
  css
    .split(`url(${ASSET_ORIGIN}/fonts/`)
    .join(`url(${fontsBase}/`)
    .replace(/@font-face\{[^}]*url\(https:\/\/certify\.invalid\/asset\/([^)]+)\)[^}]*\}/g, (rule, key: string) => {
      const url = assetUrl(key);
      return url ? rule.replace(`${ASSET_ORIGIN}/asset/${key}`, JSON.stringify(url)) : '';
    });
