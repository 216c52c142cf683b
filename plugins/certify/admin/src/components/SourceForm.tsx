import * as React from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  NumberInput,
  Radio,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';

import type { FeedSettings, SourceKind, SourceView, SourceWithToken } from '../../../shared/contracts/sources';
import { useSaveSourceMutation } from '../api/sources';
import { useNotify } from '../hooks/useNotify';
import { msg, useT, type Message } from '../hooks/useT';

interface Props {
  eventId: string;
  source?: SourceView | null;
  onSaved: (source: SourceView | SourceWithToken) => void;
  onCancel?: () => void;
  submitLabel?: string;
  disabled?: boolean;
}

const KINDS: Array<{ kind: SourceKind; title: Message; text: Message }> = [
  {
    kind: 'upload',
    title: msg('source.kindTitle.upload', 'Upload results files'),
    text: msg('source.kindTitle.upload.text', 'You upload CSV exports from your timing system whenever results change.'),
  },
  {
    kind: 'proxy',
    title: msg('source.kindTitle.proxy', 'Timing partner pushes results'),
    text: msg('source.kindTitle.proxy.text', 'Your timing partner sends CSV or JSON to a private URL with a secret token.'),
  },
  {
    kind: 'feed',
    title: msg('source.kindTitle.feed', 'Results feed URL'),
    text: msg('source.kindTitle.feed.text', 'Certify pulls a CSV or JSON URL on a schedule and on demand.'),
  },
];

/** Create or edit a data source. */
export const SourceForm = ({ eventId, source, onSaved, onCancel, submitLabel, disabled }: Props) => {
  const [saveSource, saving] = useSaveSourceMutation();
  const notify = useNotify();
  const t = useT();
  const settings = (source?.settings ?? {}) as Partial<FeedSettings>;
  const [name, setName] = React.useState(source?.name ?? 'Official results');
  const [kind, setKind] = React.useState<SourceKind>(source?.kind ?? 'upload');
  const [url, setUrl] = React.useState(settings.url ?? '');
  const [format, setFormat] = React.useState<FeedSettings['format']>(settings.format ?? 'auto');
  const [interval, setIntervalMinutes] = React.useState<number | undefined>(settings.intervalMinutes ?? 5);
  const [errors, setErrors] = React.useState<Record<string, string>>({});

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = t('source.nameRequired', 'Give the source a name.');
    if (kind === 'feed' && !/^https?:\/\//i.test(url.trim())) next.url = t('source.urlRequired', 'Enter the feed URL, starting with http:// or https://.');
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      const feed = { ...(source?.settings ?? {}), url: url.trim(), format, intervalMinutes: interval ?? 0 };
      // A source's kind is fixed once created; an edit sends only what may change.
      const body: Partial<SourceView> = source
        ? { name: name.trim(), ...(kind === 'feed' ? { settings: feed } : {}) }
        : { name: name.trim(), kind, ...(kind === 'feed' ? { settings: feed } : {}) };
      const saved = await saveSource({ eventId, id: source?.documentId, data: body }).unwrap();
      notify.success(source ? t('source.updated', 'Source saved.') : t('source.created', 'Source "{name}" created.', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      notify.error(err, t('source.saveFailed', 'The source was not saved'));
    }
  };

  return (
    <form onSubmit={submit}>
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Field.Root name="name" error={errors.name} required>
          <Field.Label>{t('source.name', 'Name')}</Field.Label>
          <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
          <Field.Error />
        </Field.Root>
        <Box>
          <Typography variant="pi" fontWeight="bold" textColor="neutral800">{t('source.kind', 'How results arrive')}</Typography>
          <Box paddingTop={2}>
            <Radio.Group
              value={kind}
              onValueChange={(v: string) => setKind(v as SourceKind)}
              aria-label={t('source.kind', 'How results arrive')}
              disabled={Boolean(source)}
            >
              <Flex direction="column" alignItems="stretch" gap={2}>
                {KINDS.map((k) => (
                  <Box
                    key={k.kind}
                    padding={3}
                    hasRadius
                    borderColor={kind === k.kind ? 'primary600' : 'neutral200'}
                    background={kind === k.kind ? 'primary100' : 'neutral0'}
                  >
                    <Radio.Item value={k.kind}>
                      <Flex direction="column" alignItems="flex-start">
                        <Typography fontWeight="semiBold">{t(k.title)}</Typography>
                        <Typography variant="pi" textColor="neutral600">{t(k.text)}</Typography>
                      </Flex>
                    </Radio.Item>
                  </Box>
                ))}
              </Flex>
            </Radio.Group>
          </Box>
        </Box>
        {kind === 'feed' && (
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root name="url" error={errors.url} required>
              <Field.Label>{t('source.url', 'Feed URL')}</Field.Label>
              <TextInput
                placeholder="https://timing.example.com/results.csv"
                value={url}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setUrl(e.target.value)}
              />
              <Field.Error />
            </Field.Root>
            <Flex gap={4} alignItems="flex-start">
              <Box flex="1">
                <Field.Root name="format">
                  <Field.Label>{t('source.format', 'Format')}</Field.Label>
                  <SingleSelect value={format} onChange={(v: string | number) => setFormat(v as FeedSettings['format'])}>
                    <SingleSelectOption value="auto">{t('source.format.auto', 'Detect')}</SingleSelectOption>
                    <SingleSelectOption value="csv">CSV</SingleSelectOption>
                    <SingleSelectOption value="json">JSON</SingleSelectOption>
                  </SingleSelect>
                </Field.Root>
              </Box>
              <Box flex="1">
                <Field.Root name="interval" hint={t('source.intervalHint', '0 pulls only when you press Sync.')}>
                  <Field.Label>{t('source.interval', 'Pull every (minutes)')}</Field.Label>
                  <NumberInput value={interval} onValueChange={(v: number | undefined) => setIntervalMinutes(v)} />
                  <Field.Hint />
                </Field.Root>
              </Box>
            </Flex>
          </Flex>
        )}
        {kind === 'proxy' && !source && (
          <Typography variant="pi" textColor="neutral600">
            {t('source.proxyHint', 'A secret token is generated when you save. It is shown once: copy it for your timing partner.')}
          </Typography>
        )}
        <Flex justifyContent="flex-end" gap={2}>
          {onCancel && <Button variant="tertiary" onClick={onCancel}>{t('common.cancel', 'Cancel')}</Button>}
          <Button type="submit" loading={saving.isLoading} disabled={disabled}>
            {submitLabel ?? (source ? t('common.save', 'Save') : t('source.create', 'Create source'))}
          </Button>
        </Flex>
      </Flex>
    </form>
  );
};
