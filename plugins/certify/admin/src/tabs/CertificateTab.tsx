import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Flex,
  Grid,
  IconButton,
  Modal,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ArrowClockwise, Key, Pencil, Plus, Trash } from '@strapi/icons';
import { useSearchParams } from 'react-router-dom';

import type { SourceView, SourceWithToken } from '../../../shared/contracts/sources';
import { useDeleteSourceMutation, useRotateTokenMutation, useSourcesQuery, useSyncSourceMutation } from '../api/sources';
import { useDeleteTemplateMutation, useTemplatesQuery } from '../api/templates';
import { errorMessage } from '../api/client';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { Empty } from '../components/Empty';
import { Loading } from '../components/Loading';
import { SourceForm } from '../components/SourceForm';
import { TemplateCreator } from '../components/TemplateCreator';
import { TemplateThumb } from '../components/TemplateThumb';
import { TokenDialog } from '../components/TokenDialog';
import { pageSizeMm } from '../designer/geometry';
import { TemplateDesigner } from '../designer/TemplateDesigner';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';
import { useEventContext } from '../pages/EventContext';
import { formatDate, pageLabel } from '../utils/format';

const KIND_LABEL: Record<string, string> = { upload: 'CSV upload', proxy: 'Partner push', feed: 'Feed URL' };

/** Data sources and certificate templates. */
export const CertificateTab = () => {
  const { eventId, event, permissions } = useEventContext();
  const notify = useNotify();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const designing = params.get('template');

  const sources = useSourcesQuery(eventId);
  const templates = useTemplatesQuery(eventId);
  const [rotateToken, rotating] = useRotateTokenMutation();
  const [syncSource, syncing] = useSyncSourceMutation();
  const [deleteSource] = useDeleteSourceMutation();
  const [deleteTemplate] = useDeleteTemplateMutation();

  const [sourceDialog, setSourceDialog] = React.useState<{ source: SourceView | null } | null>(null);
  const [token, setToken] = React.useState<{ token: string; pushUrl?: string } | null>(null);
  const [toDelete, setToDelete] = React.useState<{ kind: 'source' | 'template'; id: string; name: string } | null>(null);
  const [creating, setCreating] = React.useState(false);

  const openDesigner = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('template', id);
    else next.delete('template');
    setParams(next);
  };

  if (designing) {
    const tpl = templates.data?.find((x) => x.documentId === designing);
    if (templates.isLoading && !tpl) return <Loading />;
    if (!tpl) {
      return (
        <Empty
          content={t('designer.missing', 'This template no longer exists.')}
          action={<Button onClick={() => openDesigner(null)}>{t('designer.back', 'Templates')}</Button>}
        />
      );
    }
    return (
      <TemplateDesigner
        key={tpl.documentId}
        eventId={eventId}
        eventName={event.name}
        eventDate={event.date}
        eventLocation={event.location}
        template={tpl}
        canDesign={permissions.canDesign}
        onClose={() => openDesigner(null)}
      />
    );
  }

  const sourceSaved = (src: SourceView | SourceWithToken) => {
    setSourceDialog(null);
    if ('token' in src && src.token) setToken({ token: src.token, pushUrl: src.pushUrl });
  };

  const rotate = async (src: SourceView) => {
    try {
      const res = await rotateToken({ eventId, id: src.documentId }).unwrap();
      setToken({ token: res.token, pushUrl: src.pushUrl });
    } catch (err) {
      notify.error(err, t('source.rotateFailed', 'The token was not rotated'));
    }
  };

  const sync = async (src: SourceView) => {
    try {
      await syncSource({ eventId, id: src.documentId }).unwrap();
      notify.success(t('source.synced', 'Pulled "{name}".', { name: src.name }));
    } catch (err) {
      notify.error(err, t('source.syncFailed', 'The feed was not pulled'));
    }
  };

  const confirmDelete = async () => {
    if (!toDelete) return;
    try {
      const remove = toDelete.kind === 'source' ? deleteSource : deleteTemplate;
      await remove({ eventId, id: toDelete.id }).unwrap();
      notify.success(t('common.deleted', '"{name}" deleted.', { name: toDelete.name }));
    } catch (err) {
      notify.error(err, t('common.deleteFailed', 'Nothing was deleted'));
    }
  };

  const sourceList = sources.data ?? [];
  const templateList = templates.data ?? [];

  return (
    <Flex direction="column" alignItems="stretch" gap={8}>
      <Box>
        <Flex justifyContent="space-between" paddingBottom={4}>
          <Box>
            <Typography variant="beta" tag="h2">{t('certificate.templates', 'Templates')}</Typography>
            <Typography textColor="neutral600" tag="p">
              {t('certificate.templatesText', 'The default template is used unless a template’s rules pick it first.')}
            </Typography>
          </Box>
          {permissions.canDesign && (
            <Button startIcon={<Plus />} onClick={() => setCreating(true)}>{t('template.new', 'New template')}</Button>
          )}
        </Flex>
        {templates.error ? (
          <Typography textColor="danger600">{errorMessage(templates.error)}</Typography>
        ) : templates.isLoading && !templates.data ? (
          <Loading />
        ) : templateList.length === 0 ? (
          <Empty content={t('template.empty', 'No templates yet. Create one from a starter design.')} />
        ) : (
          <Grid.Root gap={4}>
            {templateList.map((tpl) => {
              const [w, h] = pageSizeMm(tpl);
              return (
                <Grid.Item key={tpl.documentId} col={4} s={6} xs={12} direction="column" alignItems="stretch">
                  <Box background="neutral0" hasRadius shadow="tableShadow" width="100%" overflow="hidden">
                    <TemplateThumb eventId={eventId} template={tpl} onClick={() => openDesigner(tpl.documentId)} />
                    <Box padding={4}>
                      <Flex justifyContent="space-between" alignItems="flex-start" gap={2}>
                        <Flex direction="column" alignItems="flex-start" gap={1}>
                          <Flex gap={2}>
                            <Typography fontWeight="bold">{tpl.name}</Typography>
                            {tpl.isDefault && <Badge active>{t('template.default', 'default')}</Badge>}
                          </Flex>
                          <Typography variant="pi" textColor="neutral600">
                            {`${tpl.pageSize === 'custom' ? `${w}×${h} mm` : pageLabel(t, tpl)} · ${tpl.mode === 'html' ? 'HTML/CSS' : t('template.elements', '{n, plural, one {# element} other {# elements}}', { n: (tpl.design?.elements ?? []).length })} · ${tpl.purpose ?? ''}`}
                          </Typography>
                          <Typography variant="pi" textColor="neutral500">{t('common.updated', 'Updated {at}', { at: formatDate(tpl.updatedAt, true) })}</Typography>
                        </Flex>
                        <Flex gap={1}>
                          <IconButton label={permissions.canDesign ? t('template.design', 'Design') : t('common.view', 'View')} onClick={() => openDesigner(tpl.documentId)}>
                            <Pencil />
                          </IconButton>
                          {permissions.canDesign && (
                            <IconButton label={t('common.delete', 'Delete')} onClick={() => setToDelete({ kind: 'template', id: tpl.documentId, name: tpl.name })}>
                              <Trash />
                            </IconButton>
                          )}
                        </Flex>
                      </Flex>
                    </Box>
                  </Box>
                </Grid.Item>
              );
            })}
          </Grid.Root>
        )}
      </Box>

      <Box>
        <Flex justifyContent="space-between" paddingBottom={4}>
          <Box>
            <Typography variant="beta" tag="h2">{t('certificate.sources', 'Data sources')}</Typography>
            <Typography textColor="neutral600" tag="p">
              {t('certificate.sourcesText', 'Where participants’ names, categories and times come from.')}
            </Typography>
          </Box>
          {permissions.canDesign && (
            <Button variant="secondary" startIcon={<Plus />} onClick={() => setSourceDialog({ source: null })}>
              {t('source.add', 'Add source')}
            </Button>
          )}
        </Flex>
        {sources.error ? (
          <Typography textColor="danger600">{errorMessage(sources.error)}</Typography>
        ) : sources.isLoading && !sources.data ? (
          <Loading />
        ) : sourceList.length === 0 ? (
          <Empty content={t('source.empty', 'No data source yet.')} />
        ) : (
          <Table colCount={5} rowCount={sourceList.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('source.name', 'Name')}</Typography></Th>
                <Th><Typography variant="sigma">{t('source.kindShort', 'Kind')}</Typography></Th>
                <Th><Typography variant="sigma">{t('source.details', 'Details')}</Typography></Th>
                <Th><Typography variant="sigma">{t('source.lastSync', 'Last sync')}</Typography></Th>
                <Th><VisuallyHidden>{t('common.actions', 'Actions')}</VisuallyHidden></Th>
              </Tr>
            </Thead>
            <Tbody>
              {sourceList.map((src) => {
                const settings = (src.settings ?? {}) as { url?: string };
                return (
                  <Tr key={src.documentId}>
                    <Td><Typography fontWeight="semiBold">{src.name}</Typography></Td>
                    <Td><Badge>{KIND_LABEL[src.kind] ?? src.kind}</Badge></Td>
                    <Td style={{ maxWidth: '36rem' }}>
                      <Typography variant="pi" textColor="neutral600" ellipsis>
                        {src.kind === 'feed'
                          ? settings.url ?? '—'
                          : src.kind === 'proxy'
                            ? src.tokenHint
                              ? t('source.tokenHint', 'token …{hint}, rotated {at}', { hint: src.tokenHint, at: formatDate(src.tokenRotatedAt, true) })
                              : t('source.noToken', 'no token yet: rotate to create one')
                            : t('source.uploadDetails', 'results files uploaded in Records')}
                      </Typography>
                    </Td>
                    <Td>
                      <Flex direction="column" alignItems="flex-start">
                        <Typography variant="pi">{formatDate(src.lastSyncAt, true)}</Typography>
                        {src.lastSyncStatus && (
                          <Typography variant="pi" textColor={src.lastSyncStatus.ok ? 'success600' : 'danger600'}>
                            {src.lastSyncStatus.message ?? src.lastSyncStatus.outcome}
                          </Typography>
                        )}
                      </Flex>
                    </Td>
                    <Td>
                      <Flex gap={1} justifyContent="flex-end">
                        {src.kind === 'feed' && permissions.canRecords && (
                          <IconButton label={t('source.sync', 'Pull now')} onClick={() => sync(src)} disabled={syncing.isLoading && syncing.originalArgs?.id === src.documentId}>
                            <ArrowClockwise />
                          </IconButton>
                        )}
                        {src.kind === 'proxy' && permissions.canDesign && (
                          <IconButton label={t('source.rotate', 'Rotate token')} onClick={() => rotate(src)} disabled={rotating.isLoading && rotating.originalArgs?.id === src.documentId}>
                            <Key />
                          </IconButton>
                        )}
                        {permissions.canDesign && (
                          <>
                            <IconButton label={t('common.edit', 'Edit')} onClick={() => setSourceDialog({ source: src })}>
                              <Pencil />
                            </IconButton>
                            <IconButton label={t('common.delete', 'Delete')} onClick={() => setToDelete({ kind: 'source', id: src.documentId, name: src.name })}>
                              <Trash />
                            </IconButton>
                          </>
                        )}
                      </Flex>
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
        )}
      </Box>

      <Modal.Root open={Boolean(sourceDialog)} onOpenChange={(o: boolean) => !o && setSourceDialog(null)}>
        <Modal.Content>
          <Modal.Header>
            <Modal.Title>{sourceDialog?.source ? t('source.edit', 'Edit source') : t('source.add', 'Add source')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            {sourceDialog && (
              <SourceForm eventId={eventId} source={sourceDialog.source} onSaved={sourceSaved} onCancel={() => setSourceDialog(null)} />
            )}
          </Modal.Body>
        </Modal.Content>
      </Modal.Root>

      <Modal.Root open={creating} onOpenChange={(o: boolean) => !o && setCreating(false)}>
        <Modal.Content>
          <Modal.Header>
            <Modal.Title>{t('template.new', 'New template')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            {creating && (
              <TemplateCreator
                eventId={eventId}
                isFirst={templateList.length === 0}
                onCancel={() => setCreating(false)}
                onCreated={(tpl) => {
                  setCreating(false);
                  openDesigner(tpl.documentId);
                }}
              />
            )}
          </Modal.Body>
        </Modal.Content>
      </Modal.Root>

      <ConfirmDelete
        open={Boolean(toDelete)}
        title={t('common.confirm', 'Are you sure?')}
        body={
          toDelete?.kind === 'source'
            ? t('source.deleteText', 'Delete the source "{name}"? Its records stay; a proxy token stops working.', { name: toDelete?.name ?? '' })
            : t('template.deleteText', 'Delete the template "{name}"? Published certificates keep their files.', { name: toDelete?.name ?? '' })
        }
        onConfirm={confirmDelete}
        onClose={() => setToDelete(null)}
      />
      <TokenDialog token={token?.token ?? null} pushUrl={token?.pushUrl} onClose={() => setToken(null)} />
    </Flex>
  );
};
