import type { TemplateRules } from '../../../shared/contracts/templates';

export type Condition = TemplateRules['conditions'][number];

export const valueText = (c: Condition) => (Array.isArray(c.value) ? c.value.join(', ') : c.value == null ? '' : String(c.value));

export const parseValue = (op: Condition['op'], text: string): Condition['value'] => {
  if (op === 'exists') return undefined;
  if (op === 'in' || op === 'notIn') return text.split(',').map((v) => v.trim()).filter(Boolean);
  if ((op === 'gte' || op === 'lte') && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
};
