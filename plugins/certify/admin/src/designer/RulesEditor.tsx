import * as React from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';

import type { TemplateRules } from '../../../shared/contracts/templates';
import { useT } from '../hooks/useT';
import { parseValue, valueText, type Condition } from './rules';

const OPS: Array<{ op: Condition['op']; label: string }> = [
  { op: 'exists', label: 'has a value' },
  { op: 'eq', label: 'is' },
  { op: 'neq', label: 'is not' },
  { op: 'in', label: 'is one of' },
  { op: 'notIn', label: 'is none of' },
  { op: 'gte', label: '≥' },
  { op: 'lte', label: '≤' },
];

/**
 * Which records get this template: conditions on record fields, and a priority among templates
 * whose conditions match. A template without conditions is a fallback.
 */
export const RulesEditor = ({
  rules,
  priority,
  fields,
  disabled,
  onChange,
}: {
  rules: TemplateRules | null | undefined;
  priority: number;
  fields: string[];
  disabled?: boolean;
  onChange: (rules: TemplateRules | null, priority: number) => void;
}) => {
  const t = useT();
  const conditions = rules?.conditions ?? [];
  const match = rules?.match ?? 'all';
  const set = (next: Condition[], nextMatch = match) => onChange(next.length ? { match: nextMatch, conditions: next } : null, priority);
  const update = (i: number, patch: Partial<Condition>) => set(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Typography variant="pi" textColor="neutral600">
        {t(
          'rules.help',
          'Records that match get this template. Without conditions it is a fallback: the default template first, then the highest priority.'
        )}
      </Typography>
      {conditions.length > 1 && (
        <SingleSelect size="S" aria-label={t('rules.match', 'Match')} value={match} disabled={disabled} onChange={(v: string | number) => set(conditions, v as 'all' | 'any')}>
          <SingleSelectOption value="all">{t('rules.all', 'All conditions must hold')}</SingleSelectOption>
          <SingleSelectOption value="any">{t('rules.any', 'Any condition is enough')}</SingleSelectOption>
        </SingleSelect>
      )}
      {conditions.map((c, i) => (
        <Box key={i} padding={2} background="neutral100" hasRadius>
          <Flex gap={2} alignItems="flex-end">
            <Box flex="1">
              <SingleSelect size="S" aria-label={t('rules.field', 'Field')} value={c.field} disabled={disabled} onChange={(v: string | number) => update(i, { field: String(v) })}>
                {(fields.includes(c.field) ? fields : [c.field, ...fields]).map((f) => (
                  <SingleSelectOption key={f} value={f}>{f}</SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            <Box flex="1">
              <SingleSelect
                size="S"
                aria-label={t('rules.op', 'Condition')}
                value={c.op}
                disabled={disabled}
                onChange={(v: string | number) => update(i, { op: v as Condition['op'], value: parseValue(v as Condition['op'], valueText(c)) })}
              >
                {OPS.map((o) => (
                  <SingleSelectOption key={o.op} value={o.op}>{o.label}</SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            <IconButton label={t('rules.remove', 'Remove condition')} variant="ghost" disabled={disabled} onClick={() => set(conditions.filter((_, j) => j !== i))}>
              <Trash />
            </IconButton>
          </Flex>
          {c.op !== 'exists' && (
            <Box paddingTop={2}>
              <TextInput
                size="S"
                aria-label={t('rules.value', 'Value')}
                placeholder={c.op === 'in' || c.op === 'notIn' ? 'F35-44, F45-54' : ''}
                value={valueText(c)}
                disabled={disabled}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => update(i, { value: parseValue(c.op, e.target.value) })}
              />
            </Box>
          )}
        </Box>
      ))}
      <Flex justifyContent="space-between" alignItems="flex-end" gap={2}>
        <Button
          size="S"
          variant="secondary"
          startIcon={<Plus />}
          disabled={disabled}
          onClick={() => set([...conditions, { field: 'finishTime', op: 'exists' }])}
        >
          {t('rules.add', 'Add condition')}
        </Button>
        <Box width="10rem">
          <Field.Root name="priority">
            <Field.Label>{t('rules.priority', 'Priority')}</Field.Label>
            <NumberInput size="S" value={priority} disabled={disabled} onValueChange={(n: number | undefined) => onChange(rules ?? null, n ?? 0)} />
          </Field.Root>
        </Box>
      </Flex>
    </Flex>
  );
};
