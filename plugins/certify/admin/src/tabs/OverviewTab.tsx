import * as React from 'react';
import { Badge, Box, Button, Divider, Flex, Grid, Typography } from '@strapi/design-system';
import { CheckCircle, Database, Layout, PaperPlane, User } from '@strapi/icons';

import { usePublishSummaryQuery, useRunProgressQuery } from '../api/publish';
import { useSourcesQuery } from '../api/sources';
import { useTemplatesQuery } from '../api/templates';
import { errorMessage } from '../api/client';
import { useT } from '../hooks/useT';
import { useEventContext } from '../pages/EventContext';
import { formatDate, formatNumber, pageLabel } from '../utils/format';

interface EntryProps {
  icon: React.ReactNode;
  title: string;
  done: boolean;
  value: string;
  detail?: React.ReactNode;
  action?: React.ReactNode;
}

const Entry = ({ icon, title, done, value, detail, action }: EntryProps) => (
  <Flex gap={4} alignItems="flex-start" padding={5}>
    <Flex
      justifyContent="center"
      alignItems="center"
      width="4rem"
      height="4rem"
      background={done ? 'success100' : 'neutral150'}
      color={done ? 'success600' : 'neutral600'}
      hasRadius
      shrink={0}
    >
      {icon}
    </Flex>
    <Flex direction="column" alignItems="flex-start" gap={1} grow={1}>
      <Flex gap={2}>
        <Typography variant="sigma" textColor="neutral600">{title}</Typography>
        {done && <CheckCircle fill="success600" width="1.4rem" height="1.4rem" />}
      </Flex>
      <Typography variant="delta" tag="p" textColor="neutral800">{value}</Typography>
      {detail && <Box>{detail}</Box>}
    </Flex>
    {action && <Box shrink={0}>{action}</Box>}
  </Flex>
);

/** The certificate setup summary card: source, template, records and publish status. */
export const OverviewTab = () => {
  const { eventId, setup, goToTab } = useEventContext();
  const t = useT();

  const sources = useSourcesQuery(eventId, { skip: !setup.hasSource });
  const templates = useTemplatesQuery(eventId, { skip: !setup.hasTemplate });
  const summary = usePublishSummaryQuery(eventId, { skip: !setup.setupComplete });
  const run = useRunProgressQuery(eventId, { skip: !setup.setupComplete });

  const kindLabel = (kind: string) =>
    kind === 'proxy' ? t('source.kind.proxy', 'Timing partner push') : kind === 'feed' ? t('source.kind.feed', 'Feed URL') : t('source.kind.upload', 'CSV upload');

  const sourceList = (setup.hasSource && sources.data) || [];
  const templateList = (setup.hasTemplate && templates.data) || [];
  const s = setup.setupComplete ? summary.data : undefined;
  const toPublish = s ? s.new + s.changed : 0;
  const setupTarget = setup.setupComplete ? null : 'setup';

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      {!setup.setupComplete && (
        <Box background="primary100" borderColor="primary200" hasRadius padding={5}>
          <Flex justifyContent="space-between" gap={4}>
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="delta" tag="h2">{t('overview.getStarted', 'Finish setting up Certify')}</Typography>
              <Typography textColor="neutral700">
                {t(
                  'overview.getStartedText',
                  'Connect a data source, design a certificate and add participant records. Certificate, Records and Publish appear once all three are done.'
                )}
              </Typography>
            </Flex>
            <Button onClick={() => goToTab('setup')}>{t('overview.runSetup', 'Run setup')}</Button>
          </Flex>
        </Box>
      )}

      <Box background="neutral0" hasRadius shadow="tableShadow">
        <Box paddingTop={5} paddingLeft={5} paddingRight={5}>
          <Typography variant="delta" tag="h2">{t('overview.card', 'Certificate setup')}</Typography>
        </Box>
        <Grid.Root gap={0}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Entry
              icon={<Database />}
              title={t('overview.source', 'Data source')}
              done={setup.hasSource}
              value={
                setup.hasSource
                  ? sourceList.map((src) => src.name).join(', ') || t('overview.sources', '{n} sources', { n: setup.counts.sources })
                  : t('overview.noSource', 'No source connected')
              }
              detail={
                sourceList.length > 0 && (
                  <Flex gap={2} wrap="wrap">
                    {sourceList.map((src) => (
                      <Badge key={src.documentId}>{kindLabel(src.kind)}</Badge>
                    ))}
                    {sourceList.some((src) => src.lastSyncAt) && (
                      <Typography variant="pi" textColor="neutral600">
                        {t('overview.lastSync', 'last sync {at}', {
                          at: formatDate(sourceList.map((x) => x.lastSyncAt ?? '').sort().pop(), true),
                        })}
                      </Typography>
                    )}
                  </Flex>
                )
              }
              action={
                <Button variant="tertiary" size="S" onClick={() => goToTab(setupTarget ?? 'certificate')}>
                  {setup.hasSource ? t('common.manage', 'Manage') : t('common.add', 'Add')}
                </Button>
              }
            />
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Entry
              icon={<Layout />}
              title={t('overview.template', 'Certificate template')}
              done={setup.hasTemplate}
              value={
                setup.hasTemplate
                  ? templateList.map((tpl) => tpl.name).join(', ') || t('overview.templates', '{n} templates', { n: setup.counts.templates })
                  : t('overview.noTemplate', 'No template designed')
              }
              detail={
                templateList.length > 0 && (
                  <Typography variant="pi" textColor="neutral600">
                    {templateList
                      .map((tpl) => `${pageLabel(t, tpl)}${tpl.isDefault ? ` · ${t('template.default', 'default')}` : ''}`)
                      .join(' / ')}
                  </Typography>
                )
              }
              action={
                <Button variant="tertiary" size="S" onClick={() => goToTab(setupTarget ?? 'certificate')}>
                  {setup.hasTemplate ? t('common.design', 'Design') : t('common.add', 'Add')}
                </Button>
              }
            />
          </Grid.Item>
          <Grid.Item col={12}>
            <Box width="100%"><Divider /></Box>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Entry
              icon={<User />}
              title={t('overview.records', 'Records')}
              done={setup.hasRecord}
              value={t('overview.recordCount', '{n} participants', { n: formatNumber(setup.counts.records) })}
              detail={
                s && (
                  <Typography variant="pi" textColor="neutral600">
                    {s.noTemplate > 0
                      ? t('overview.noTemplateRecords', '{n} without a matching template', { n: formatNumber(s.noTemplate) })
                      : t('overview.allMatched', 'every record has a template')}
                  </Typography>
                )
              }
              action={
                <Button variant="tertiary" size="S" onClick={() => goToTab(setupTarget ?? 'records')}>
                  {setup.hasRecord ? t('common.view', 'View') : t('common.add', 'Add')}
                </Button>
              }
            />
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Entry
              icon={<PaperPlane />}
              title={t('overview.publish', 'Publish status')}
              done={setup.counts.published > 0 && toPublish === 0}
              value={
                setup.counts.published > 0
                  ? t('overview.published', '{n} certificates published', { n: formatNumber(setup.counts.published) })
                  : t('overview.notPublished', 'Not published yet')
              }
              detail={
                summary.error ? (
                  <Typography variant="pi" textColor="danger600">{errorMessage(summary.error)}</Typography>
                ) : s ? (
                  <Flex direction="column" alignItems="flex-start" gap={2}>
                    <Flex gap={2} wrap="wrap">
                      <Badge>{t('publish.new', '{n} new', { n: formatNumber(s.new) })}</Badge>
                      <Badge>{t('publish.changed', '{n} changed', { n: formatNumber(s.changed) })}</Badge>
                      <Badge>{t('publish.unchanged', '{n} up to date', { n: formatNumber(s.unchanged) })}</Badge>
                    </Flex>
                    {run.data && (
                      <Typography variant="pi" textColor="neutral600">
                        {run.active
                          ? t('overview.runActive', 'Publishing now: {done} of {total} done.', { done: formatNumber(run.data.done), total: formatNumber(run.data.total) })
                          : t('overview.runLast', 'Last run {status} {at}: {done} done, {failed} failed.', {
                              status: run.data.status,
                              at: formatDate(run.data.finishedAt ?? run.data.startedAt, true),
                              done: formatNumber(run.data.done),
                              failed: formatNumber(run.data.failed),
                            })}
                      </Typography>
                    )}
                  </Flex>
                ) : (
                  <Typography variant="pi" textColor="neutral600">
                    {t('overview.publishAfterSetup', 'Publishing opens once setup is complete.')}
                  </Typography>
                )
              }
              action={
                setup.setupComplete && (
                  <Button variant={toPublish > 0 ? 'default' : 'tertiary'} size="S" onClick={() => goToTab('publish')}>
                    {toPublish > 0 ? t('overview.publishNow', 'Publish {n}', { n: formatNumber(toPublish) }) : t('common.open', 'Open')}
                  </Button>
                )
              }
            />
          </Grid.Item>
        </Grid.Root>
      </Box>
    </Flex>
  );
};
