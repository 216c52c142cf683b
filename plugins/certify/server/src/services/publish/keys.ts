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

/** Name of a certificate's files without extension: one per record version, readable by bib. */
export const certificateFileBase = (record: { bib?: unknown; documentId?: unknown }, key: string) =>
  `${safeName(record.bib, 30)}-${String(record.documentId)}-${key.slice(0, 12)}`;
