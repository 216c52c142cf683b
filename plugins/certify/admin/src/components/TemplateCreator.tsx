import * as React from 'react';
import { Box, Button, Field, Flex, Grid, TextInput, Typography } from '@strapi/design-system';
import { CheckCircle } from '@strapi/icons';

import { useCreateTemplateMutation } from '../api/templates';
import type { TemplateView } from '../api/client';
import { STARTERS } from '../designer/starters';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';

/** Pick a starter design and name the template. */
export const TemplateCreator = ({
  eventId,
  onCreated,
  onCancel,
  disabled,
  isFirst,
}: {
  eventId: string;
  onCreated?: (tpl: TemplateView) => void;
  onCancel?: () => void;
  disabled?: boolean;
  isFirst?: boolean;
}) => {
  const [createTemplate, creating] = useCreateTemplateMutation();
  const notify = useNotify();
  const t = useT();
  const [starter, setStarter] = React.useState(STARTERS[0].id);
  const [name, setName] = React.useState(() => t(STARTERS[0].defaultName));
  const [error, setError] = React.useState<string | undefined>();

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t('template.nameRequired', 'Give the template a name.'));
      return;
    }
    setError(undefined);
    try {
      const chosen = STARTERS.find((s) => s.id === starter) ?? STARTERS[0];
      const tpl = await createTemplate({ eventId, data: { ...chosen.build(name.trim()), isDefault: Boolean(isFirst) } }).unwrap();
      notify.success(t('template.created', 'Template "{name}" created.', { name: tpl.name }));
      onCreated?.(tpl);
    } catch (err) {
      notify.error(err, t('template.createFailed', 'The template was not created'));
    }
  };

  return (
    <form onSubmit={create}>
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Grid.Root gap={3}>
          {STARTERS.map((s) => {
            const active = s.id === starter;
            return (
              <Grid.Item key={s.id} col={4} s={12} direction="column" alignItems="stretch">
                <Box
                  tag="button"
                  type="button"
                  onClick={() => {
                    setStarter(s.id);
                    // A name the organiser has not typed follows the starter.
                    if (STARTERS.some((other) => t(other.defaultName) === name)) setName(t(s.defaultName));
                  }}
                  padding={4}
                  hasRadius
                  width="100%"
                  height="100%"
                  background={active ? 'primary100' : 'neutral0'}
                  borderColor={active ? 'primary600' : 'neutral200'}
                  style={{ textAlign: 'left', cursor: 'pointer' }}
                >
                  <Flex direction="column" alignItems="flex-start" gap={2}>
                    <Flex gap={2}>
                      <Typography fontWeight="bold" textColor={active ? 'primary700' : 'neutral800'}>{t(s.title)}</Typography>
                      {active && <CheckCircle fill="primary600" />}
                    </Flex>
                    <Typography variant="pi" textColor="neutral600">{t(s.description)}</Typography>
                  </Flex>
                </Box>
              </Grid.Item>
            );
          })}
        </Grid.Root>
        <Field.Root name="templateName" error={error} required>
          <Field.Label>{t('template.name', 'Template name')}</Field.Label>
          <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
          <Field.Error />
        </Field.Root>
        <Flex justifyContent="flex-end" gap={2}>
          {onCancel && <Button variant="tertiary" onClick={onCancel}>{t('common.cancel', 'Cancel')}</Button>}
          <Button type="submit" loading={creating.isLoading} disabled={disabled}>{t('template.create', 'Create template')}</Button>
        </Flex>
      </Flex>
    </form>
  );
};
