import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';

import type { SetupStep } from '../../../shared/contracts/events';
import type { SourceView, SourceWithToken } from '../../../shared/contracts/sources';
import { useSourcesQuery, useSyncSourceMutation } from '../api/sources';
import { ImportFlow } from '../components/ImportFlow';
import { SourceForm } from '../components/SourceForm';
import { TemplateCreator } from '../components/TemplateCreator';
import { TokenDialog } from '../components/TokenDialog';
import { useNotify } from '../hooks/useNotify';
import { msg, useT, type Message } from '../hooks/useT';
import { useEventContext } from '../pages/EventContext';

const STEPS: Array<{ id: SetupStep; title: Message; text: Message }> = [
  {
    id: 'source',
    title: msg('setup.source.title', 'Connect a source'),
    text: msg('setup.source.text', 'Where participants’ data comes from: uploads, your timing partner, or a feed.'),
  },
  {
    id: 'template',
    title: msg('setup.template.title', 'Design a template'),
    text: msg('setup.template.text', 'Start from a design; refine it later in the Certificate tab.'),
  },
  {
    id: 'records',
    title: msg('setup.records.title', 'Add records'),
    text: msg('setup.records.text', 'Upload your participant list or results; check it before anything is saved.'),
  },
];

/** The first-time wizard: source, template, records; each step re-reads the setup state. */
export const SetupTab = () => {
  const { eventId, setup, permissions, goToTab } = useEventContext();
  const t = useT();
  const [token, setToken] = React.useState<{ token: string; pushUrl?: string } | null>(null);
  const current: SetupStep = setup.nextStep ?? 'records';
  const sources = useSourcesQuery(eventId);

  const done: Record<SetupStep, boolean> = { source: setup.hasSource, template: setup.hasTemplate, records: setup.hasRecord };

  const onSourceSaved = (src: SourceView | SourceWithToken) => {
    if ('token' in src && src.token) setToken({ token: src.token, pushUrl: src.pushUrl });
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {STEPS.map((step, i) => {
        const active = step.id === current;
        return (
          <Box
            key={step.id}
            background="neutral0"
            hasRadius
            shadow="tableShadow"
            padding={6}
            borderColor={active ? 'primary200' : undefined}
          >
            <Flex gap={4} alignItems="flex-start">
              <Flex
                width="3.2rem"
                height="3.2rem"
                justifyContent="center"
                shrink={0}
                background={done[step.id] ? 'success600' : active ? 'primary600' : 'neutral150'}
                style={{ borderRadius: '50%' }}
              >
                {done[step.id] ? (
                  <Check fill="neutral0" />
                ) : (
                  <Typography fontWeight="bold" textColor={active ? 'neutral0' : 'neutral600'}>{i + 1}</Typography>
                )}
              </Flex>
              <Flex direction="column" alignItems="stretch" gap={4} grow={1}>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography variant="delta" tag="h2" textColor={active || done[step.id] ? 'neutral800' : 'neutral500'}>
                    {t(step.title)}
                  </Typography>
                  <Typography textColor="neutral600">
                    {done[step.id]
                      ? step.id === 'source'
                        ? t('setup.source.done', '{n, plural, one {# source} other {# sources}} connected.', { n: setup.counts.sources })
                        : step.id === 'template'
                          ? t('setup.template.done', '{n, plural, one {# template} other {# templates}} ready.', { n: setup.counts.templates })
                          : t('setup.records.done', '{n, plural, one {# record} other {# records}}.', { n: setup.counts.records })
                      : t(step.text)}
                  </Typography>
                </Flex>
                {active && !done[step.id] && step.id === 'source' && (
                  <SourceForm eventId={eventId} onSaved={onSourceSaved} disabled={!permissions.canDesign} submitLabel={t('setup.source.save', 'Connect source')} />
                )}
                {active && !done[step.id] && step.id === 'template' && (
                  <TemplateCreator eventId={eventId} isFirst disabled={!permissions.canDesign} />
                )}
                {active && !done[step.id] && step.id === 'records' && <RemoteSources sources={sources.data ?? []} />}
                {active && !done[step.id] && step.id === 'records' && (
                  <ImportFlow
                    eventId={eventId}
                    sources={sources.data ?? []}
                    canCommit={permissions.canRecords}
                  />
                )}
                {active && !permissions.isLoading && !done[step.id] &&
                  ((step.id === 'records' && !permissions.canRecords) || (step.id !== 'records' && !permissions.canDesign)) && (
                    <Typography variant="pi" textColor="warning600">
                      {t('setup.noPermission', 'Your role cannot do this step. Ask an administrator to give you the Certify permission for it.')}
                    </Typography>
                  )}
              </Flex>
            </Flex>
          </Box>
        );
      })}
      {setup.setupComplete && (
        <Flex justifyContent="center">
          <Button onClick={() => goToTab('overview')}>{t('setup.continue', 'Continue')}</Button>
        </Flex>
      )}
      <TokenDialog token={token?.token ?? null} pushUrl={token?.pushUrl} onClose={() => setToken(null)} />
    </Flex>
  );
};

/**
 * Feed and partner-push sources fill records without an upload: offer to pull the feed now, or
 * to check again once the partner has pushed. Uploading a file stays possible below.
 */
const RemoteSources = ({ sources }: { sources: SourceView[] }) => {
  const { eventId, refreshSetup, permissions } = useEventContext();
  const [sync, syncing] = useSyncSourceMutation();
  const notify = useNotify();
  const t = useT();
  const remote = sources.filter((s) => s.kind !== 'upload');
  if (!remote.length) return null;

  const pull = async (src: SourceView) => {
    try {
      await sync({ eventId, id: src.documentId }).unwrap();
      notify.success(t('source.synced', 'Pulled "{name}".', { name: src.name }));
    } catch (err) {
      notify.error(err, t('source.syncFailed', 'The feed was not pulled'));
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      {remote.map((src) => (
        <Box key={src.documentId} padding={4} background="neutral100" hasRadius>
          <Flex justifyContent="space-between" gap={4}>
            <Typography textColor="neutral700">
              {src.kind === 'feed'
                ? t('setup.feedWaiting', '"{name}" is a feed: pull it now to add its records.', { name: src.name })
                : t('setup.proxyWaiting', '"{name}" waits for your timing partner’s first push to {url}.', {
                    name: src.name,
                    url: src.pushUrl ?? t('setup.pushUrl', 'its push URL'),
                  })}
            </Typography>
            {src.kind === 'feed' ? (
              <Button size="S" variant="secondary" loading={syncing.isLoading && syncing.originalArgs?.id === src.documentId} disabled={!permissions.canRecords} onClick={() => pull(src)}>
                {t('source.sync', 'Pull now')}
              </Button>
            ) : (
              <Button size="S" variant="tertiary" onClick={() => refreshSetup()}>
                {t('setup.checkAgain', 'Check again')}
              </Button>
            )}
          </Flex>
        </Box>
      ))}
      <Typography variant="pi" textColor="neutral600">{t('setup.orUpload', 'Or upload a file:')}</Typography>
    </Flex>
  );
};
