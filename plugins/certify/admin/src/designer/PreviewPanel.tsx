import * as React from 'react';
import { Box, Button, Flex, Loader, TextInput, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useDebounce } from '@strapi/strapi/admin';

import type { TemplateInput } from '../../../shared/contracts/templates';
import { useTemplatePreviewQuery } from '../api/templates';
import { errorMessage } from '../api/client';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';
import type { Sample } from './useSampleRecord';

/** Renders start this long after the last edit, so typing does not queue a render per key. */
const PREVIEW_DELAY_MS = 700;

interface Props {
  eventId: string;
  templateId: string;
  draft: TemplateInput;
  sample: Sample;
  onShowBib: (bib: string) => Promise<boolean>;
}

/** The server's rendering of the unsaved draft for the sample record, and a way to pick the record. */
export const PreviewPanel = ({ eventId, templateId, draft, sample, onShowBib }: Props) => {
  const t = useT();
  const notify = useNotify();
  const [bib, setBib] = React.useState('');
  const settled = useDebounce(draft, PREVIEW_DELAY_MS);
  const preview = useTemplatePreviewQuery({ eventId, templateId, template: settled, recordId: sample.id });

  const show = async (e: React.FormEvent) => {
    e.preventDefault();
    const wanted = bib.trim();
    if (!wanted) return;
    try {
      if (!(await onShowBib(wanted))) notify.info(t('designer.noRecord', 'No record matches "{bib}".', { bib: wanted }));
    } catch (err) {
      notify.error(err);
    }
  };

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
      <Flex justifyContent="space-between" paddingBottom={3}>
        <Typography variant="delta" tag="h3">{t('designer.preview', 'Live preview')}</Typography>
        <Flex gap={2}>
          {preview.isFetching && <Loader small>{t('designer.rendering', 'Rendering')}</Loader>}
          <Button size="S" variant="tertiary" startIcon={<ArrowClockwise />} onClick={() => preview.refetch()}>
            {t('designer.refresh', 'Refresh')}
          </Button>
        </Flex>
      </Flex>
      <Box background="neutral100" hasRadius padding={2} minHeight="12rem">
        {preview.isError ? (
          <Box padding={3}>
            <Typography variant="pi" textColor="danger600">{errorMessage(preview.error)}</Typography>
          </Box>
        ) : preview.data ? (
          <img src={preview.data} alt={t('designer.previewAlt', 'Rendered certificate')} style={{ width: '100%', display: 'block', borderRadius: 4 }} />
        ) : (
          <Flex justifyContent="center" padding={6}><Loader small>{t('designer.rendering', 'Rendering')}</Loader></Flex>
        )}
      </Box>
      <form onSubmit={show}>
        <Flex gap={2} paddingTop={3}>
          <Box grow={1}>
            <TextInput
              size="S"
              aria-label={t('designer.previewBib', 'Preview for bib or name')}
              placeholder={t('designer.previewBib', 'Preview for bib or name')}
              value={bib}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setBib(e.target.value)}
            />
          </Box>
          <Button size="S" variant="secondary" type="submit">{t('designer.show', 'Show')}</Button>
        </Flex>
      </form>
      <Typography variant="pi" textColor="neutral500" paddingTop={2} tag="p">
        {sample.id
          ? t('designer.sampleRecord', 'Rendered for {name} (bib {bib}).', { name: String(sample.data.name ?? ''), bib: String(sample.data.bib ?? '') })
          : t('designer.sampleNone', 'Rendered for a sample participant.')}
      </Typography>
    </Box>
  );
};
