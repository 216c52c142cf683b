import { sha256 } from '../../utils/hash';

/**
 * A certificate depends on the record's data, the template (with its assets) and, when the
 * template shows one, the participant's photo. Without a photo the key is what it always was, so
 * certificates of templates without a photo element are never re-rendered for a photo.
 */
export const renderKeyOf = (dataHash: string | null | undefined, templateHash: string, photoFileId?: number | null) =>
  sha256(`${dataHash ?? ''}:${templateHash}${photoFileId ? `:photo:${photoFileId}` : ''}`).slice(0, 32);

/** File-name part from participant data: ASCII letters/digits/dash only, never empty, never a path. */
export const safeName = (value: unknown, max = 60): string => {
  const s = String(value ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max);
  return s || 'x';
};

/**
 * File-name part people read: the participant's own letters in any script ("łukasz-żoń",
 * "山田-太郎"), lower case, words joined by dashes; anything else (slashes, dots, quotes, control
 * characters) becomes a dash, so it is never a path. Never empty.
 */
export const readableName = (value: unknown, max = 60): string => {
  const words = String(value ?? '')
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
  const s = Array.from(words.join('-')).slice(0, max).join('').replace(/-+$/, '');
  return s || 'x';
};

/**
 * Name of a certificate's files without extension, as the media library lists them
 * ("11-yuki-kawauchi-3f9a2c1b"): bib and name to read, the render key's start so each record
 * version has its own name.
 */
export const certificateFileBase = (record: { bib?: unknown; name?: unknown }, key: string) =>
  `${readableName(record.bib, 30)}-${readableName(record.name, 60)}-${key.slice(0, 8)}`;
