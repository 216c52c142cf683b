import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowLeft, Check, WarningCircle } from '@strapi/icons';

import type { HandEditedChoice, ImportCommitResult, ImportMapping, ImportPreview, MappableField } from '../../../shared/contracts/import';
import type { MappingReport, NameOrder } from '../../../shared/contracts/mapping';
import type { SourceView } from '../../../shared/contracts/sources';
import { useCommitImportMutation, usePreviewImportMutation } from '../api/imports';
import { useNotify } from '../hooks/useNotify';
import { msg, useT, type Message } from '../hooks/useT';
import { formatDate, formatNumber } from '../utils/format';
import { FilePicker } from './FilePicker';

const FIELDS: Array<{ field: MappableField; label: Message }> = [
  { field: 'bib', label: msg('field.bib', 'Bib') },
  { field: 'name', label: msg('field.name', 'Full name') },
  { field: 'firstName', label: msg('field.firstName', 'First name') },
  { field: 'lastName', label: msg('field.lastName', 'Last name') },
  { field: 'email', label: msg('field.email', 'Email') },
  { field: 'category', label: msg('field.category', 'Category') },
  { field: 'gender', label: msg('field.gender', 'Gender') },
  { field: 'finishTime', label: msg('field.finishTime', 'Finish time') },
  { field: 'rankOverall', label: msg('field.rankOverall', 'Overall rank') },
  { field: 'rankGender', label: msg('field.rankGender', 'Gender rank') },
  { field: 'rankCategory', label: msg('field.rankCategory', 'Category rank') },
];

const NOT_MAPPED = '__none__';

const ENCODING_LABELS: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with BOM',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
  json: 'JSON',
};
const DELIMITER_LABELS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

interface Props {
  eventId: string;
  sources: SourceView[];
  defaultSourceId?: string;
  onCommitted?: (result: ImportCommitResult) => void;
  onCancel?: () => void;
  canCommit: boolean;
}

/**
 * Upload a results file, review the dry run (counts, invalid rows, the first rows as they will be
 * stored), correct the column mapping, then commit. Nothing is written before commit.
 */
export const ImportFlow = ({ eventId, sources, defaultSourceId, onCommitted, onCancel, canCommit }: Props) => {
  const [previewImport, previewing] = usePreviewImportMutation();
  const [commitImport, committing] = useCommitImportMutation();
  const notify = useNotify();
  const t = useT();
  const [file, setFile] = React.useState<File | null>(null);
  const [sourceId, setSourceId] = React.useState<string | undefined>(defaultSourceId ?? sources[0]?.documentId);
  const [preview, setPreview] = React.useState<(ImportPreview & MappingReport) | null>(null);
  // What the organiser sent with the last dry run, kept when the other one changes.
  const [sent, setSent] = React.useState<{ mapping?: ImportMapping; nameOrder?: NameOrder; handEdited?: HandEditedChoice }>({});
  const [mapping, setMapping] = React.useState<ImportMapping>({});

  React.useEffect(() => {
    if (!sourceId && sources[0]) setSourceId(defaultSourceId ?? sources[0].documentId);
  }, [sources, sourceId, defaultSourceId]);

  const runPreview = async (withMapping?: ImportMapping, nameOrder?: NameOrder, handEdited = sent.handEdited) => {
    if (!file) return;
    try {
      const result = await previewImport({ eventId, file, sourceId, mapping: withMapping, nameOrder, handEdited }).unwrap();
      setSent({ mapping: withMapping, nameOrder, handEdited });
      setPreview(result);
      setMapping(result.mapping ?? {});
    } catch (err) {
      notify.error(err, t('import.previewFailed', 'The file could not be read'));
    }
  };

  const commit = async () => {
    if (!preview?.importId) return;
    try {
      const dirty = JSON.stringify(mapping) !== JSON.stringify(preview.mapping ?? {});
      const result = await commitImport({
        eventId,
        importId: preview.importId,
        mapping: dirty ? mapping : undefined,
        nameOrder: sent.nameOrder,
        handEdited: sent.handEdited ?? 'keep',
      }).unwrap();
      notify.success(
        t('import.committed', 'Import done: {new} new, {changed} changed, {unchanged} unchanged.', {
          new: result.counts.new,
          changed: result.counts.changed,
          unchanged: result.counts.unchanged,
        })
      );
      setPreview(null);
      setFile(null);
      onCommitted?.(result);
    } catch (err) {
      notify.error(err, t('import.commitFailed', 'Nothing was imported'));
    }
  };

  const mappingChanged = preview ? JSON.stringify(mapping) !== JSON.stringify(preview.mapping ?? {}) : false;
  const explanationOf = (field: MappableField) => preview?.explanations.find((e) => e.field === field)?.text;

  if (!preview) {
    return (
      <Flex direction="column" alignItems="stretch" gap={4}>
        {sources.length > 1 && (
          <Field.Root name="source" hint={t('import.sourceHint', 'Records remember which source they came from.')}>
            <Field.Label>{t('import.source', 'Source')}</Field.Label>
            <SingleSelect value={sourceId} onChange={(v: string | number) => setSourceId(String(v))}>
              {sources.map((s) => (
                <SingleSelectOption key={s.documentId} value={s.documentId}>{s.name}</SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
        )}
        <FilePicker
          accept=".csv,.txt,.tsv,.json,text/csv,application/json"
          label={t('import.drop', 'Drop a results CSV here')}
          hint={t('import.dropHint', 'CSV (comma, semicolon, tab or pipe; UTF-8, UTF-16 or Windows-1252) or JSON.')}
          file={file}
          onChange={setFile}
          disabled={previewing.isLoading || committing.isLoading}
        />
        <Flex justifyContent="flex-end" gap={2}>
          {onCancel && (
            <Button variant="tertiary" onClick={onCancel}>{t('common.cancel', 'Cancel')}</Button>
          )}
          <Button onClick={() => runPreview()} disabled={!file || !canCommit} loading={previewing.isLoading}>
            {t('import.check', 'Check the file')}
          </Button>
        </Flex>
      </Flex>
    );
  }

  if (preview.needsBib) {
    return (
      <BibPicker
        preview={preview}
        busy={previewing.isLoading}
        onPick={(bib) => runPreview({ ...mapping, bib }, sent.nameOrder)}
        onBack={() => setPreview(null)}
      />
    );
  }

  const c = preview.counts;
  return (
    <Flex direction="column" alignItems="stretch" gap={5}>
      <Flex gap={2} wrap="wrap">
        <Typography variant="pi" textColor="neutral600">
          {t('import.read', '{rows} rows read · {encoding} · {delimiter}', {
            rows: formatNumber(preview.totalRows),
            encoding: ENCODING_LABELS[preview.encoding] ?? preview.encoding,
            delimiter: preview.delimiter ? `${DELIMITER_LABELS[preview.delimiter] ?? preview.delimiter}-separated` : 'JSON',
          })}
        </Typography>
      </Flex>
      <Grid.Root gap={3}>
        {(
          [
            ['new', t('import.new', 'New'), 'success'],
            ['changed', t('import.changed', 'Changed'), 'primary'],
            ['unchanged', t('import.unchanged', 'Unchanged'), 'neutral'],
            ['invalid', t('import.invalid', 'Invalid'), 'danger'],
          ] as const
        ).map(([key, label, tone]) => (
          <Grid.Item key={key} col={3} s={6}>
            <Box width="100%" padding={4} hasRadius background={`${tone}100`} borderColor={`${tone}200`}>
              <Typography variant="sigma" textColor={`${tone}700`}>{label}</Typography>
              <Typography variant="alpha" tag="p" textColor={`${tone}700`}>{formatNumber(c[key])}</Typography>
            </Box>
          </Grid.Item>
        ))}
      </Grid.Root>

      <Box>
        <Flex justifyContent="space-between" paddingBottom={2}>
          <Typography variant="delta" tag="h3">{t('import.mapping', 'Column mapping')}</Typography>
          {mappingChanged && (
            <Button variant="secondary" size="S" onClick={() => runPreview(mapping, sent.nameOrder)} loading={previewing.isLoading}>
              {t('import.recheck', 'Re-check with this mapping')}
            </Button>
          )}
        </Flex>
        <Typography variant="pi" textColor="neutral600">
          {t('import.mappingHint', 'Columns not mapped to a field are kept as extra data that templates can use.')}
        </Typography>
        <Grid.Root gap={3} paddingTop={3}>
          {FIELDS.map(({ field, label }) => {
            const suggested = preview.suggestedMapping?.[field];
            // Why the column was chosen, as the dry run read it; a hand-picked column has no reason yet.
            const why = mapping[field] === preview.mapping?.[field] ? explanationOf(field) : undefined;
            const hint = suggested && suggested !== mapping[field] ? `Suggested: ${suggested}` : why;
            return (
              <Grid.Item key={field} col={3} s={6} xs={12} direction="column" alignItems="stretch">
                <Field.Root name={`map-${field}`} hint={hint}>
                  <Field.Label>{t(label)}</Field.Label>
                  <SingleSelect
                    size="S"
                    value={mapping[field] ?? NOT_MAPPED}
                    onChange={(v: string | number) =>
                      setMapping((m) => ({ ...m, [field]: v === NOT_MAPPED ? null : String(v) }))
                    }
                  >
                    <SingleSelectOption value={NOT_MAPPED}>{t('import.notMapped', '— not mapped —')}</SingleSelectOption>
                    {preview.headers.filter(Boolean).map((h) => (
                      <SingleSelectOption key={h} value={h}>{h}</SingleSelectOption>
                    ))}
                  </SingleSelect>
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
            );
          })}
        </Grid.Root>
      </Box>

      <Box>
        <Field.Root
          name="name-order"
          hint={
            preview.nameOrder === 'last-first'
              ? t('import.nameOrderTurned', '{n} names written "Last, First" are stored as "First Last".', { n: formatNumber(preview.nameOrderRows) })
              : t('import.nameOrderKept', '{n} names with a comma are kept as written.', { n: formatNumber(preview.nameOrderRows) })
          }
        >
          <Field.Label>{t('import.nameOrder', 'Names in this file are written')}</Field.Label>
          <SingleSelect
            size="S"
            value={preview.nameOrder}
            disabled={previewing.isLoading || committing.isLoading || mappingChanged}
            onChange={(v: string | number) => runPreview(sent.mapping, v as NameOrder)}
          >
            <SingleSelectOption value="first-last">{t('import.firstLast', 'First Last')}</SingleSelectOption>
            <SingleSelectOption value="last-first">{t('import.lastFirst', 'Last, First')}</SingleSelectOption>
          </SingleSelect>
          <Field.Hint />
        </Field.Root>
      </Box>

      {preview.overwriteCount > 0 && (
        <HandEdits
          preview={preview}
          choice={sent.handEdited ?? 'keep'}
          disabled={previewing.isLoading || committing.isLoading || mappingChanged}
          onChoose={(choice) => runPreview(sent.mapping, sent.nameOrder, choice)}
        />
      )}

      {preview.warnings.length > 0 && (
        <Box>
          <Typography variant="delta" tag="h3">
            {t('import.warnings', 'Imported with a warning ({n})', { n: formatNumber(preview.warnings.length) })}
          </Typography>
          {preview.warnings.slice(0, 50).map((w) => (
            <Typography key={w.line} tag="p" variant="pi" textColor="warning600">
              {t('import.warningLine', 'Line {line} (bib {bib}): {message}', { line: w.line, bib: w.bib ?? '—', message: w.message })}
            </Typography>
          ))}
        </Box>
      )}

      {preview.invalid.length > 0 && (
        <Box>
          <Flex gap={2} paddingBottom={2}>
            <WarningCircle fill="danger600" />
            <Typography variant="delta" tag="h3">
              {t('import.invalidRows', 'Invalid rows ({n}) — these will be skipped', { n: formatNumber(c.invalid) })}
            </Typography>
          </Flex>
          <ListTable
            maxHeight="24rem"
            headers={[t('import.line', 'Line'), t('records.bib', 'Bib'), t('import.reason', 'What to fix')]}
            rows={preview.invalid.slice(0, 200).map((row) => ({
              key: `${row.line}-${row.bib ?? ''}`,
              cells: [
                <Typography>{row.line}</Typography>,
                <Typography>{row.bib ?? '—'}</Typography>,
                <Typography textColor="danger600">{row.reason}</Typography>,
              ],
            }))}
          />
        </Box>
      )}

      {preview.sample.length > 0 && (
        <Box>
          <Typography variant="delta" tag="h3">{t('import.sample', 'First rows as they will be stored')}</Typography>
          <Box paddingTop={2} overflow="auto">
            <Table colCount={7} rowCount={preview.sample.length + 1}>
              <Thead>
                <Tr>
                  {['', 'Bib', 'Name', 'Category', 'Gender', 'Finish time', 'Rank'].map((h) => (
                    <Th key={h}><Typography variant="sigma">{h}</Typography></Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {preview.sample.slice(0, 10).map((r) => (
                  <Tr key={`${r.line}-${r.bib}`}>
                    <Td>
                      <Badge active={r.action !== 'unchanged'}>{r.action}</Badge>
                    </Td>
                    <Td><Typography>{r.bib}</Typography></Td>
                    <Td><Typography>{r.name ?? [r.firstName, r.lastName].filter(Boolean).join(' ')}</Typography></Td>
                    <Td><Typography>{r.category ?? '—'}</Typography></Td>
                    <Td><Typography>{r.gender ?? '—'}</Typography></Td>
                    <Td><Typography>{r.finishTime ?? '—'}</Typography></Td>
                    <Td><Typography>{r.rankOverall ?? '—'}</Typography></Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
        </Box>
      )}

      <Flex justifyContent="space-between">
        <Button variant="tertiary" startIcon={<ArrowLeft />} onClick={() => setPreview(null)} disabled={previewing.isLoading || committing.isLoading}>
          {t('import.back', 'Choose another file')}
        </Button>
        <Button
          startIcon={<Check />}
          onClick={commit}
          loading={committing.isLoading}
          disabled={!canCommit || mappingChanged || c.new + c.changed === 0}
        >
          {c.new + c.changed === 0
            ? t('import.nothing', 'Nothing to import')
            : t('import.commit', 'Import {n} records', { n: formatNumber(c.new + c.changed) })}
        </Button>
      </Flex>
    </Flex>
  );
};

/**
 * A file in which no column reads as the bib: its columns and first rows as written, and a choice
 * of the column that holds the bib; the dry run then runs again with it.
 */
const BibPicker = ({
  preview,
  busy,
  onPick,
  onBack,
}: {
  preview: ImportPreview & MappingReport;
  busy: boolean;
  onPick: (column: string) => void;
  onBack: () => void;
}) => {
  const t = useT();
  const [bib, setBib] = React.useState<string | undefined>(undefined);
  const columns = preview.headers;
  return (
    <Flex direction="column" alignItems="stretch" gap={5}>
      <Flex gap={2}>
        <WarningCircle fill="warning600" />
        <Typography variant="delta" tag="h3">
          {t('import.needsBib', 'No column looks like the bib number')}
        </Typography>
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {t('import.needsBibHint', 'Records are matched on their bib. Pick the column that holds it ({rows} rows read); nothing is imported until you do.', {
          rows: formatNumber(preview.totalRows),
        })}
      </Typography>
      <Field.Root name="pick-bib">
        <Field.Label>{t('import.bibColumn', 'Bib column')}</Field.Label>
        <SingleSelect size="S" value={bib} placeholder={t('import.pickColumn', 'Choose a column')} onChange={(v: string | number) => setBib(String(v))}>
          {columns.map((h) => (
            <SingleSelectOption key={h} value={h}>{h}</SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
      <Box>
        <Typography variant="delta" tag="h3">{t('import.fileRows', 'First rows of the file')}</Typography>
        <Box paddingTop={2} overflow="auto">
          <Table colCount={columns.length} rowCount={preview.rows.length + 1}>
            <Thead>
              <Tr>
                {columns.map((h) => (
                  <Th key={h} background={h === bib ? 'primary100' : undefined}>
                    <Typography variant="sigma">{h}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {preview.rows.slice(0, 10).map((row, i) => (
                <Tr key={i}>
                  {columns.map((h, j) => (
                    <Td key={h} background={h === bib ? 'primary100' : undefined}>
                      <Typography>{row[j] ?? ''}</Typography>
                    </Td>
                  ))}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      </Box>
      <Flex justifyContent="space-between">
        <Button variant="tertiary" startIcon={<ArrowLeft />} onClick={onBack} disabled={busy}>
          {t('import.back', 'Choose another file')}
        </Button>
        <Button onClick={() => bib && onPick(bib)} disabled={!bib} loading={busy}>
          {t('import.checkWithBib', 'Check the file with this bib column')}
        </Button>
      </Flex>
    </Flex>
  );
};

/** Records edited by hand that the file would change: which fields, since when, and whether to keep the edits. */
/** A plain table of short rows, scrolling past `maxHeight`; long texts wrap. */
const ListTable = ({ headers, rows, maxHeight }: { headers: string[]; rows: Array<{ key: string; cells: React.ReactNode[] }>; maxHeight: string }) => (
  <Box maxHeight={maxHeight} overflow="auto">
    <Table colCount={headers.length} rowCount={rows.length + 1}>
      <Thead>
        <Tr>
          {headers.map((h) => (
            <Th key={h}><Typography variant="sigma">{h}</Typography></Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((row) => (
          <Tr key={row.key}>
            {row.cells.map((cell, i) => (
              <Td key={i} style={{ whiteSpace: 'normal' }}>{cell}</Td>
            ))}
          </Tr>
        ))}
      </Tbody>
    </Table>
  </Box>
);

const HandEdits = ({
  preview,
  choice,
  disabled,
  onChoose,
}: {
  preview: ImportPreview;
  choice: HandEditedChoice;
  disabled: boolean;
  onChoose: (choice: HandEditedChoice) => void;
}) => {
  const t = useT();
  const fieldLabel = (field: string) => {
    const label = FIELDS.find((x) => x.field === field)?.label;
    return label ? t(label) : field;
  };
  return (
    <Box>
      <Flex gap={2} paddingBottom={2}>
        <WarningCircle fill="warning600" />
        <Typography variant="delta" tag="h3">
          {t('import.overwrites', 'Edited by hand ({n}): the file has other values', { n: formatNumber(preview.overwriteCount) })}
        </Typography>
      </Flex>
      <Field.Root
        name="hand-edited"
        hint={
          choice === 'keep'
            ? t('import.keepHint', 'The edited fields stay as they are; the file’s other values are still imported.')
            : t('import.replaceHint', 'The file’s values replace the edits, and the records are no longer marked as edited.')
        }
      >
        <Field.Label>{t('import.handEdited', 'Records edited by hand')}</Field.Label>
        <SingleSelect size="S" value={choice} disabled={disabled} onChange={(v: string | number) => onChoose(v as HandEditedChoice)}>
          <SingleSelectOption value="keep">{t('import.keepEdits', 'Keep my edits')}</SingleSelectOption>
          <SingleSelectOption value="replace">{t('import.replaceEdits', 'Replace them with the file')}</SingleSelectOption>
        </SingleSelect>
        <Field.Hint />
      </Field.Root>
      <Box paddingTop={3}>
        <ListTable
          maxHeight="16rem"
          headers={[t('records.bib', 'Bib'), t('import.editedFields', 'Edited fields the file changes'), t('import.editedAt', 'Edited')]}
          rows={preview.overwrites.slice(0, 200).map((o) => ({
            key: o.bib,
            cells: [
              <Typography>{o.bib}</Typography>,
              <Typography>{o.fields.map((f) => fieldLabel(f)).join(', ')}</Typography>,
              <Typography>{o.editedAt ? formatDate(o.editedAt, true) : '—'}</Typography>,
            ],
          }))}
        />
      </Box>
    </Box>
  );
};
