import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Checkbox,
  Flex,
  IconButton,
  Modal,
  NumberInput,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ArrowClockwise, CaretDown, CaretUp, Cross, Download, Eye, Mail, PaperPlane, Pencil, Plus, Trash, Upload } from '@strapi/icons';
import { useDebounce } from '@strapi/strapi/admin';
import { useSearchParams } from 'react-router-dom';

import type { RecordStatus, RecordView } from '../../../shared/contracts/records';
import { useDeleteRecordsMutation, useEmailRecordMutation, useExportRecordsMutation, useRecordsQuery } from '../api/records';
import { usePublishMutation } from '../api/publish';
import { useSourcesQuery } from '../api/sources';
import { certificateUrls, errorMessage } from '../api/client';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { Empty } from '../components/Empty';
import { HandEditMark } from '../components/HandEdits';
import { ImportFlow } from '../components/ImportFlow';
import { Loading } from '../components/Loading';
import { RecordDialog } from '../components/RecordDialog';
import { isRevoked, RevocationDialog, RevokedNote, type RevocableRecord } from '../components/RevocationDialog';
import { useNotify } from '../hooks/useNotify';
import { msg, useT, type Message } from '../hooks/useT';
import { useEventContext } from '../pages/EventContext';
import { formatDate, formatNumber, slugify } from '../utils/format';

const STATUS_TONE: Record<RecordStatus, { bg: string; text: string; label: Message }> = {
  pending: { bg: 'neutral150', text: 'neutral700', label: msg('status.pending', 'Not published') },
  queued: { bg: 'secondary100', text: 'secondary700', label: msg('status.queued', 'Queued') },
  published: { bg: 'success100', text: 'success700', label: msg('status.published', 'Published') },
  stale: { bg: 'warning100', text: 'warning700', label: msg('status.stale', 'Needs update') },
  failed: { bg: 'danger100', text: 'danger700', label: msg('status.failed', 'Failed') },
};

export const StatusBadge = ({ status }: { status: RecordStatus }) => {
  const t = useT();
  const tone = STATUS_TONE[status] ?? STATUS_TONE.pending;
  return (
    <Badge backgroundColor={tone.bg} textColor={tone.text}>
      {t(tone.label)}
    </Badge>
  );
};

/** The certificate as rendered cuts text off: said on the record, never silently. */
const OverflowWarning = ({ record }: { record: RecordView }) => {
  const t = useT();
  const elements = (record.renderWarnings ?? []).filter((w) => w.kind === 'overflow').map((w) => w.elementId);
  if (!elements.length) return null;
  return (
    <Badge
      backgroundColor="warning100"
      textColor="warning700"
      title={t('records.overflowHint', 'Even at its smallest size, the text of {elements} does not fit its box on the certificate: shorten the value or enlarge the element.', { elements: elements.join(', ') })}
    >
      {t('records.overflow', 'Text cut off: {elements}', { elements: elements.join(', ') })}
    </Badge>
  );
};

const COLUMNS: Array<{ key: string; label: Message; sort?: string }> = [
  { key: 'bib', label: msg('records.col.bib', 'Bib'), sort: 'bib' },
  { key: 'name', label: msg('records.col.name', 'Name'), sort: 'name' },
  { key: 'category', label: msg('records.col.category', 'Category'), sort: 'category' },
  { key: 'finishTime', label: msg('records.col.finishTime', 'Finish time'), sort: 'finishSeconds' },
  { key: 'rankOverall', label: msg('records.col.rank', 'Rank'), sort: 'rankOverall' },
  { key: 'status', label: msg('records.col.status', 'Certificate'), sort: 'status' },
  { key: 'updatedAt', label: msg('records.col.updated', 'Updated'), sort: 'updatedAt' },
];

const ALL = '__all__';
const PAGE_SIZES = [10, 25, 50, 100];

/** Participant records: search, filter, sort, edit, import and export. */
export const RecordsTab = () => {
  const { eventId, event, permissions } = useEventContext();
  const notify = useNotify();
  const t = useT();
  const [params, setParams] = useSearchParams();

  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const status = (params.get('status') ?? '') as RecordStatus | '';
  const sort = params.get('sort') ?? 'bib:asc';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Number(params.get('pageSize')) || 25;

  const [search, setSearch] = React.useState(q);
  const debounced = useDebounce(search, 300);

  const setQuery = React.useCallback(
    (patch: Record<string, string | number | null>) => {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === '' || v === undefined) next.delete(k);
        else next.set(k, String(v));
      }
      if (!('page' in patch)) next.delete('page');
      setParams(next, { replace: true });
    },
    [params, setParams]
  );

  React.useEffect(() => {
    if (debounced !== q) setQuery({ q: debounced || null });
  }, [debounced, q, setQuery]);

  const list = useRecordsQuery({
    eventId,
    query: { search: q || undefined, category: category || undefined, status: status || undefined, sort, page, pageSize },
  });
  const sources = useSourcesQuery(eventId);
  const [deleteRecords] = useDeleteRecordsMutation();
  const [exportRecords, exporting] = useExportRecordsMutation();
  const [emailRecord] = useEmailRecordMutation();
  const [publish, publishing] = usePublishMutation();

  const [selected, setSelected] = React.useState<Set<string>>(new Set());
  const [editing, setEditing] = React.useState<{ record: RecordView | null } | null>(null);
  const [toDelete, setToDelete] = React.useState<RecordView[] | null>(null);
  const [importing, setImporting] = React.useState(false);
  const [revocation, setRevocation] = React.useState<RevocableRecord | null>(null);
  const [jumpTo, setJumpTo] = React.useState<number | undefined>();

  React.useEffect(() => setSelected(new Set()), [q, category, status, sort, page, pageSize]);

  const rows: RevocableRecord[] = list.data?.data ?? [];
  const pagination = list.data?.meta.pagination;
  const categories = list.data?.meta.categories ?? [];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.documentId));
  const someSelected = rows.some((r) => selected.has(r.documentId));

  const remove = async () => {
    if (!toDelete) return;
    try {
      await deleteRecords({ eventId, ids: toDelete.map((r) => r.documentId) }).unwrap();
      notify.success(t('records.deleted', '{n, plural, one {# record} other {# records}} deleted.', { n: toDelete.length }));
      setSelected(new Set());
    } catch (err) {
      notify.error(err, t('records.deleteFailed', 'Nothing was deleted'));
    }
  };

  const exportCsv = async () => {
    try {
      await exportRecords({ eventId, filename: `${slugify(event.name)}-records.csv` }).unwrap();
    } catch (err) {
      notify.error(err, t('records.exportFailed', 'The export failed'));
    }
  };

  const email = async (r: RecordView) => {
    try {
      await emailRecord({ eventId, id: r.documentId }).unwrap();
      notify.success(t('records.emailQueued', 'Certificate email queued for {name}.', { name: r.name ?? r.bib }));
    } catch (err) {
      notify.error(err, t('records.emailFailed', 'The email was not sent'));
    }
  };

  const [sortField, sortDir] = sort.split(':');
  const toggleSort = (field: string) =>
    setQuery({ sort: `${field}:${sortField === field && sortDir !== 'desc' ? 'desc' : 'asc'}` });

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" gap={4} wrap="wrap">
        <Flex gap={2} wrap="wrap">
          <Box width="28rem">
            <Searchbar
              name="q"
              value={search}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)}
              onClear={() => setSearch('')}
              placeholder={t('records.search', 'Search bib or name')}
              clearLabel={t('common.clear', 'Clear')}
              size="S"
            >
              {t('records.search', 'Search bib or name')}
            </Searchbar>
          </Box>
          <Box minWidth="18rem">
            <SingleSelect
              size="S"
              aria-label={t('records.category', 'Category')}
              value={category || ALL}
              onChange={(v: string | number) => setQuery({ category: v === ALL ? null : String(v) })}
            >
              <SingleSelectOption value={ALL}>{t('records.allCategories', 'All categories')}</SingleSelectOption>
              {categories.map((c) => (
                <SingleSelectOption key={c} value={c}>{c}</SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Box minWidth="18rem">
            <SingleSelect
              size="S"
              aria-label={t('records.status', 'Certificate status')}
              value={status || ALL}
              onChange={(v: string | number) => setQuery({ status: v === ALL ? null : String(v) })}
            >
              <SingleSelectOption value={ALL}>{t('records.allStatuses', 'Any status')}</SingleSelectOption>
              {(Object.keys(STATUS_TONE) as RecordStatus[]).map((s) => (
                <SingleSelectOption key={s} value={s}>{t(STATUS_TONE[s].label)}</SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
        </Flex>
        <Flex gap={2}>
          {someSelected && permissions.canPublish && (
            <Button
              size="S"
              variant="secondary"
              startIcon={<PaperPlane />}
              loading={publishing.isLoading}
              onClick={async () => {
                try {
                  const res = await publish({ eventId, body: { only: { recordIds: [...selected] } } }).unwrap();
                  notify.info(res.message);
                } catch (err) {
                  notify.error(err, t('publish.startFailed', 'Publishing did not start'));
                }
              }}
            >
              {t('records.publishSelected', 'Publish {n}', { n: selected.size })}
            </Button>
          )}
          {someSelected && permissions.canRecords && (
            <Button
              size="S"
              variant="danger-light"
              startIcon={<Trash />}
              onClick={() => setToDelete(rows.filter((r) => selected.has(r.documentId)))}
            >
              {t('records.deleteSelected', 'Delete {n}', { n: selected.size })}
            </Button>
          )}
          <Button size="S" variant="tertiary" startIcon={<Download />} onClick={exportCsv} loading={exporting.isLoading}>
            {t('records.export', 'Export CSV')}
          </Button>
          {permissions.canRecords && (
            <>
              <Button size="S" variant="secondary" startIcon={<Upload />} onClick={() => setImporting(true)}>
                {t('records.import', 'Import CSV')}
              </Button>
              <Button size="S" startIcon={<Plus />} onClick={() => setEditing({ record: null })}>
                {t('records.add', 'Add record')}
              </Button>
            </>
          )}
        </Flex>
      </Flex>

      {list.error ? (
        <Box padding={6} background="danger100" hasRadius>
          <Typography textColor="danger700">{errorMessage(list.error)}</Typography>
        </Box>
      ) : list.isLoading && !list.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty
          content={
            q || category || status
              ? t('records.noMatch', 'No record matches these filters.')
              : t('records.empty', 'No records yet. Import a results CSV or add participants one by one.')
          }
        />
      ) : (
        <Table colCount={COLUMNS.length + (permissions.canRecords ? 2 : 1)} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {permissions.canRecords && (
              <Th>
                <Checkbox
                  aria-label={t('records.selectAll', 'Select all on this page')}
                  checked={allSelected ? true : someSelected ? 'indeterminate' : false}
                  onCheckedChange={(c: boolean | 'indeterminate') =>
                    setSelected(c === true ? new Set(rows.map((r) => r.documentId)) : new Set())
                  }
                />
              </Th>
              )}
              {COLUMNS.map((col) => (
                <Th
                  key={col.key}
                  action={
                    col.sort && sortField === col.sort ? (
                      <IconButton label={t('records.sort', 'Sort')} variant="ghost" onClick={() => toggleSort(col.sort!)}>
                        {sortDir === 'desc' ? <CaretDown /> : <CaretUp />}
                      </IconButton>
                    ) : undefined
                  }
                >
                  <Typography
                    variant="sigma"
                    tag="button"
                    onClick={() => col.sort && toggleSort(col.sort)}
                    style={{ cursor: col.sort ? 'pointer' : 'default', background: 'none', border: 0, padding: 0 }}
                  >
                    {t(col.label)}
                  </Typography>
                </Th>
              ))}
              <Th><VisuallyHidden>{t('common.actions', 'Actions')}</VisuallyHidden></Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((r) => (
              <Tr key={r.documentId}>
                {permissions.canRecords && (
                <Td>
                  <Checkbox
                    aria-label={t('records.select', 'Select {bib}', { bib: r.bib })}
                    checked={selected.has(r.documentId)}
                    onCheckedChange={(c: boolean | 'indeterminate') =>
                      setSelected((s) => {
                        const next = new Set(s);
                        if (c === true) next.add(r.documentId);
                        else next.delete(r.documentId);
                        return next;
                      })
                    }
                  />
                </Td>
                )}
                <Td><Typography fontWeight="semiBold">{r.bib}</Typography></Td>
                <Td>
                  <Flex gap={2}>
                    <Typography>{r.name ?? ([r.firstName, r.lastName].filter(Boolean).join(' ') || '—')}</Typography>
                    <HandEditMark record={r} />
                  </Flex>
                </Td>
                <Td><Typography>{r.category ?? '—'}</Typography></Td>
                <Td><Typography>{r.finishTime ?? '—'}</Typography></Td>
                <Td><Typography>{r.rankOverall ?? '—'}</Typography></Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start" gap={1}>
                    <StatusBadge status={r.status} />
                    <OverflowWarning record={r} />
                    <RevokedNote record={r} />
                    {r.lastError && (
                      <Typography variant="pi" textColor="danger600" title={r.lastError} style={{ maxWidth: 280, overflowWrap: 'anywhere' }}>
                        {r.lastError.length > 140 ? `${r.lastError.slice(0, 140)}…` : r.lastError}
                      </Typography>
                    )}
                    {r.emailStatus && r.emailStatus !== 'none' && (
                      <Typography variant="pi" textColor={r.emailStatus === 'failed' || r.emailStatus === 'bounced' ? 'danger600' : 'neutral600'}>
                        {t('records.emailStatus', 'Email: {status}', { status: r.emailStatus })}
                      </Typography>
                    )}
                  </Flex>
                </Td>
                <Td><Typography variant="pi" textColor="neutral600">{formatDate(r.updatedAt, true)}</Typography></Td>
                <Td>
                  <Flex gap={1} justifyContent="flex-end">
                    {(r.status === 'published' || r.status === 'stale') && r.verificationCode && (
                      <IconButton
                        label={t('records.view', 'Open certificate PDF')}
                        variant="ghost"
                        onClick={() => window.open(certificateUrls(r.verificationCode).pdf, '_blank', 'noopener')}
                      >
                        <Eye />
                      </IconButton>
                    )}
                    {permissions.canPublish && r.status === 'published' && r.email && (
                      <IconButton label={r.emailStatus === 'failed' || r.emailStatus === 'bounced' ? t('records.emailRetry', 'Retry email') : t('records.email', 'Email certificate')} variant="ghost" onClick={() => email(r)}>
                        <Mail />
                      </IconButton>
                    )}
                    {permissions.canRevoke && (
                      <IconButton
                        label={isRevoked(r) ? t('revoke.reinstateAction', 'Reinstate certificate') : t('revoke.action', 'Revoke certificate')}
                        variant="ghost"
                        onClick={() => setRevocation(r)}
                      >
                        {isRevoked(r) ? <ArrowClockwise /> : <Cross />}
                      </IconButton>
                    )}
                    {permissions.canRecords && (
                      <>
                        <IconButton label={t('common.edit', 'Edit')} variant="ghost" onClick={() => setEditing({ record: r })}>
                          <Pencil />
                        </IconButton>
                        <IconButton label={t('common.delete', 'Delete')} variant="ghost" onClick={() => setToDelete([r])}>
                          <Trash />
                        </IconButton>
                      </>
                    )}
                  </Flex>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}

      {pagination && pagination.total > 0 && (
        <Flex justifyContent="space-between">
          <Flex gap={2}>
            <SingleSelect
              size="S"
              aria-label={t('records.perPage', 'Records per page')}
              value={String(pageSize)}
              onChange={(v: string | number) => setQuery({ pageSize: Number(v) })}
            >
              {PAGE_SIZES.map((n) => (
                <SingleSelectOption key={n} value={String(n)}>{String(n)}</SingleSelectOption>
              ))}
            </SingleSelect>
            <Typography variant="pi" textColor="neutral600">
              {t('records.range', '{from}–{to} of {total}', {
                from: formatNumber((pagination.page - 1) * pagination.pageSize + 1),
                to: formatNumber(Math.min(pagination.total, pagination.page * pagination.pageSize)),
                total: formatNumber(pagination.total),
              })}
            </Typography>
          </Flex>
          <Flex gap={2} alignItems="center">
            <Button size="S" variant="tertiary" disabled={page <= 1} onClick={() => setQuery({ page: page - 1 })}>
              {t('common.previous', 'Previous')}
            </Button>
            <Typography variant="pi">{`${pagination.page} / ${Math.max(1, pagination.pageCount)}`}</Typography>
            <Button size="S" variant="tertiary" disabled={page >= pagination.pageCount} onClick={() => setQuery({ page: page + 1 })}>
              {t('common.next', 'Next')}
            </Button>
            {pagination.pageCount > 2 && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  if (jumpTo) setQuery({ page: Math.min(Math.max(1, Math.round(jumpTo)), pagination.pageCount) });
                  setJumpTo(undefined);
                }}
              >
                <Flex gap={1}>
                  <Box width="8rem">
                    <NumberInput
                      size="S"
                      aria-label={t('records.pageJump', 'Go to page')}
                      placeholder={t('records.pagePlaceholder', 'Page')}
                      value={jumpTo}
                      onValueChange={(v: number | undefined) => setJumpTo(v)}
                    />
                  </Box>
                  <Button size="S" variant="tertiary" type="submit" disabled={!jumpTo}>
                    {t('records.go', 'Go')}
                  </Button>
                </Flex>
              </form>
            )}
          </Flex>
        </Flex>
      )}

      <RecordDialog
        eventId={eventId}
        open={Boolean(editing)}
        record={editing?.record ?? null}
        onClose={() => setEditing(null)}
        onRevocation={
          permissions.canRevoke
            ? (r) => {
                setEditing(null);
                setRevocation(r);
              }
            : undefined
        }
      />

      <RevocationDialog eventId={eventId} record={revocation} onClose={() => setRevocation(null)} />

      <Modal.Root open={importing} onOpenChange={(o: boolean) => !o && setImporting(false)}>
        <Modal.Content style={{ maxWidth: '96rem', width: '90vw' }}>
          <Modal.Header>
            <Modal.Title>{t('records.importTitle', 'Import results')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            {importing && (
              <ImportFlow
                eventId={eventId}
                sources={sources.data ?? []}
                canCommit={permissions.canRecords}
                onCancel={() => setImporting(false)}
                onCommitted={() => setImporting(false)}
              />
            )}
          </Modal.Body>
        </Modal.Content>
      </Modal.Root>

      <ConfirmDelete
        open={Boolean(toDelete)}
        title={t('common.confirm', 'Are you sure?')}
        body={
          toDelete && toDelete.length === 1
            ? t('records.deleteOne', 'Delete record {bib} ({name})? Its issued certificate stops verifying.', {
                bib: toDelete[0].bib,
                name: toDelete[0].name ?? '',
              })
            : t('records.deleteMany', 'Delete {n} records? Their issued certificates stop verifying.', { n: toDelete?.length ?? 0 })
        }
        onConfirm={remove}
        onClose={() => setToDelete(null)}
      />
    </Flex>
  );
};
