import { sha256, stableStringify } from '../../utils/hash';

/** What a certificate depends on: the record's data and the template (incl. its assets). */
export const templateHashOf = (template: any, hashFn?: (t: any) => string): string => {
  if (template?.hash) return template.hash;
  if (hashFn) return hashFn(template);
  return sha256(
    stableStringify({
      design: template?.design ?? null,
      html: template?.html ?? null,
      css: template?.css ?? null,
      pageSize: template?.pageSize ?? null,
      orientation: template?.orientation ?? null,
      widthMm: template?.widthMm ?? null,
      heightMm: template?.heightMm ?? null,
      background: template?.background?.hash ?? template?.background?.id ?? null,
    })
  ).slice(0, 32);
};

export const renderKeyOf = (dataHash: string | null | undefined, templateHash: string) =>
  sha256(`${dataHash ?? ''}:${templateHash}`).slice(0, 32);

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

/** Same rules as pickTemplate when the templates service does not provide one. */
export const fallbackPickTemplate = (templates: any[], record: any) => {
  const override = record?.template?.documentId ?? record?.template;
  if (override) {
    const t = templates.find((x) => x.documentId === override || x.id === override);
    if (t) return t;
  }
  return templates.find((t) => t.isDefault) ?? [...templates].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))[0] ?? null;
};
