import * as React from 'react';
import { Box, Button, Field, Flex, Grid, Modal, Textarea, TextInput, Typography } from '@strapi/design-system';

import { useSaveRecordMutation } from '../api/records';
import { certificateUrls } from '../api/client';
import { useNotify } from '../hooks/useNotify';
import { msg, useT, type Message } from '../hooks/useT';
import type { RecordView } from '../../../shared/contracts/records';
import { formatDate } from '../utils/format';
import { handEditedFields, HandEditNote } from './HandEdits';
import { isRevoked, RevokedNote, type RevocableRecord } from './RevocationDialog';

type FormState = Record<string, string>;

const TEXT_FIELDS: Array<[keyof RecordView, Message, number]> = [
  ['bib', msg('field.bib', 'Bib'), 4],
  ['name', msg('field.name', 'Full name'), 8],
  ['firstName', msg('field.firstName', 'First name'), 6],
  ['lastName', msg('field.lastName', 'Last name'), 6],
  ['email', msg('field.email', 'Email'), 6],
  ['category', msg('field.category', 'Category'), 3],
  ['gender', msg('field.gender', 'Gender'), 3],
  ['finishTime', msg('field.finishTimeFormat', 'Finish time (h:mm:ss)'), 3],
  ['rankOverall', msg('field.rankOverall', 'Overall rank'), 3],
  ['rankGender', msg('field.rankGender', 'Gender rank'), 3],
  ['rankCategory', msg('field.rankCategory', 'Category rank'), 3],
];
const NUMBER_FIELDS = new Set(['rankOverall', 'rankGender', 'rankCategory']);

const toForm = (r: RecordView | null): FormState => {
  const f: FormState = {};
  for (const [key] of TEXT_FIELDS) f[key] = r?.[key] == null ? '' : String(r[key]);
  f.extra = r?.extra && Object.keys(r.extra).length ? JSON.stringify(r.extra, null, 2) : '';
  return f;
};

/** Create or edit one record; the server validates and answers with what to fix. */
export const RecordDialog = ({
  eventId,
  record,
  open,
  onClose,
  onRevocation,
}: {
  eventId: string;
  record: RevocableRecord | null;
  open: boolean;
  onClose: () => void;
  /** Given when the admin may revoke: opens the revoke or reinstate dialog for this record. */
  onRevocation?: (record: RevocableRecord) => void;
}) => {
  const [saveRecord, saving] = useSaveRecordMutation();
  const notify = useNotify();
  const t = useT();
  const [form, setForm] = React.useState<FormState>(() => toForm(record));
  const [errors, setErrors] = React.useState<FormState>({});
  const handEdited = new Set(handEditedFields(record));
  const editedHint = t('record.fieldHandEdited', 'Edited by hand');

  React.useEffect(() => {
    if (open) {
      setForm(toForm(record));
      setErrors({});
    }
  }, [open, record]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const next: FormState = {};
    if (!form.bib.trim()) next.bib = t('record.bibRequired', 'Every record needs a bib.');
    let extra: Record<string, string> | null = null;
    if (form.extra.trim()) {
      try {
        extra = JSON.parse(form.extra) as Record<string, string>;
        if (!extra || typeof extra !== 'object' || Array.isArray(extra)) throw new Error('not an object');
      } catch {
        next.extra = t('record.extraInvalid', 'Extra data must be a JSON object, e.g. {example}.', { example: '{"club": "Athens Runners"}' });
      }
    }
    for (const key of NUMBER_FIELDS) {
      if (form[key].trim() && !/^\d+$/.test(form[key].trim())) next[key] = t('record.rankInvalid', 'Use a whole number.');
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    const body: Partial<RecordView> = {};
    for (const [key] of TEXT_FIELDS) {
      const v = form[key].trim();
      (body as Record<string, unknown>)[key] = v === '' ? null : NUMBER_FIELDS.has(key) ? Number(v) : v;
    }
    body.extra = extra;
    try {
      await saveRecord({ eventId, id: record?.documentId, data: body }).unwrap();
      notify.success(record ? t('record.updated', 'Record {bib} saved.', { bib: form.bib }) : t('record.created', 'Record {bib} added.', { bib: form.bib }));
      onClose();
    } catch (err) {
      notify.error(err, t('record.saveFailed', 'The record was not saved'));
    }
  };

  return (
    <Modal.Root open={open} onOpenChange={(o: boolean) => !o && onClose()}>
      <Modal.Content>
        <form onSubmit={submit}>
          <Modal.Header>
            <Modal.Title>{record ? t('record.edit', 'Edit record {bib}', { bib: record.bib }) : t('record.new', 'Add a record')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            {record && handEdited.size > 0 && (
              <Box paddingBottom={4}>
                <HandEditNote record={record} />
              </Box>
            )}
            <Grid.Root gap={4}>
              {TEXT_FIELDS.map(([key, label, col]) => (
                <Grid.Item key={key} col={col} s={12} direction="column" alignItems="stretch">
                  <Field.Root name={key} error={errors[key]} required={key === 'bib'} hint={handEdited.has(key) ? editedHint : undefined}>
                    <Field.Label>{t(label)}</Field.Label>
                    <TextInput value={form[key]} onChange={(ev: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: ev.target.value }))} />
                    <Field.Error />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
              ))}
              <Grid.Item col={12} direction="column" alignItems="stretch">
                <Field.Root name="extra" error={errors.extra} hint={`${t('record.extraHint', 'Other columns from your results file, usable in templates as extra.column_name.')}${handEdited.has('extra') ? ` ${editedHint}.` : ''}`}>
                  <Field.Label>{t('record.extra', 'Extra data (JSON)')}</Field.Label>
                  <Textarea value={form.extra} onChange={(ev: React.ChangeEvent<HTMLTextAreaElement>) => setForm((f) => ({ ...f, extra: ev.target.value }))} />
                  <Field.Error />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
              {record?.verificationCode && (
                <Grid.Item col={12} direction="column" alignItems="stretch">
                  {(record.status === 'published' || record.status === 'stale') && (
                    <Flex gap={4} alignItems="flex-start" paddingBottom={3}>
                      <Box width="24rem" shrink={0} hasRadius overflow="hidden" borderColor="neutral200">
                        <img
                          src={certificateUrls(record.verificationCode).image}
                          alt={t('record.certificate', 'Issued certificate')}
                          style={{ width: '100%', display: 'block' }}
                        />
                      </Box>
                      <Flex direction="column" alignItems="flex-start" gap={2}>
                        <Typography variant="sigma" textColor="neutral600">{t('record.issued', 'Issued certificate')}</Typography>
                        <Typography variant="pi">
                          {t('record.issuedAt', 'Issued {at}', { at: formatDate(record.certifiedAt, true) })}
                        </Typography>
                        {record.correctedAt && (
                          <Typography variant="pi">{t('record.correctedAt', 'Corrected {at}', { at: formatDate(record.correctedAt, true) })}</Typography>
                        )}
                        {record.status === 'stale' && (
                          <Typography variant="pi" textColor="warning600">{t('record.stale', 'Data changed since: the next publish re-renders it.')}</Typography>
                        )}
                        <a href={certificateUrls(record.verificationCode).pdf} target="_blank" rel="noreferrer">
                          <Typography variant="pi" textColor="primary600" fontWeight="bold">{t('record.openPdf', 'Open PDF')}</Typography>
                        </a>
                      </Flex>
                    </Flex>
                  )}
                  <Flex justifyContent="space-between" alignItems="flex-start" gap={4}>
                    <Flex direction="column" alignItems="flex-start" gap={2}>
                      <Typography variant="pi" textColor="neutral600">
                        {t('record.code', 'Verification code {code}', { code: record.verificationCode })}
                      </Typography>
                      <RevokedNote record={record} />
                    </Flex>
                    {onRevocation && (
                      <Button type="button" size="S" variant={isRevoked(record) ? 'secondary' : 'danger-light'} onClick={() => onRevocation(record)}>
                        {isRevoked(record) ? t('revoke.reinstateAction', 'Reinstate certificate') : t('revoke.action', 'Revoke certificate')}
                      </Button>
                    )}
                  </Flex>
                </Grid.Item>
              )}
            </Grid.Root>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Modal.Close>
            <Button type="submit" loading={saving.isLoading}>{t('common.save', 'Save')}</Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
