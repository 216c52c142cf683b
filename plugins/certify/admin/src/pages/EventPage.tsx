import * as React from 'react';
import { Badge, Box, Flex, Tabs, Typography } from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import type { SetupState } from '../../../shared/contracts/events';
import { PLAN_LABELS, type Plan } from '../../../shared/errors';
import { useEventQuery, useSetupQuery } from '../api/events';
import { errorMessage, isPlanRequired, upgradeLink, type EventDetail } from '../api/client';
import { LockedState } from '../components/LockedState';
import { useNotify } from '../hooks/useNotify';
import { useCertifyPermissions } from '../hooks/usePermissions';
import { msg, useT, type Message } from '../hooks/useT';
import { CertificateTab } from '../tabs/CertificateTab';
import { OverviewTab } from '../tabs/OverviewTab';
import { PublishTab } from '../tabs/PublishTab';
import { RecordsTab } from '../tabs/RecordsTab';
import { SetupTab } from '../tabs/SetupTab';
import { formatDate } from '../utils/format';
import { EventProvider, type EventContextValue } from './EventContext';

type TabId = SetupState['tabs'][number];

const TAB_LABELS: Record<TabId, Message> = {
  overview: msg('tabs.overview', 'Overview'),
  setup: msg('tabs.setup', 'Setup'),
  certificate: msg('tabs.certificate', 'Certificate'),
  records: msg('tabs.records', 'Records'),
  publish: msg('tabs.publish', 'Publish'),
};

/**
 * One event's Certify workspace. The tabs come from the server's setup state (progressive
 * disclosure); the active tab lives in the URL so reloads and shared links land on it.
 */
export const EventPage = () => {
  const { eventId = '' } = useParams<{ eventId: string }>();
  const t = useT();
  const notify = useNotify();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const permissions = useCertifyPermissions();

  const eventQuery = useEventQuery(eventId);
  const setupQuery = useSetupQuery(eventId);
  const setup = setupQuery.data;

  // Finishing the last step of the wizard (whichever tab did it) opens the full workspace.
  const wasComplete = React.useRef<boolean | undefined>(undefined);
  React.useEffect(() => {
    if (!setup) return;
    if (wasComplete.current === false && setup.setupComplete) {
      notify.success(t('setup.complete', 'Setup is complete: Certificate, Records and Publish are now available.'));
      setSearchParams({ tab: 'overview' }, { replace: true });
    }
    wasComplete.current = setup.setupComplete;
  }, [setup, notify, t, setSearchParams]);

  const { refetch: refetchSetup } = setupQuery;
  const refreshSetup = React.useCallback(() => void refetchSetup(), [refetchSetup]);

  const tabs = setup?.tabs ?? ['overview'];
  const requested = searchParams.get('tab') as TabId | null;
  const activeTab: TabId = requested && tabs.includes(requested) ? requested : 'overview';

  const goToTab = React.useCallback(
    (tab: string) => setSearchParams({ tab }, { replace: false }),
    [setSearchParams]
  );

  // A failed re-read keeps the page on what it has; only a first load that fails shows the error.
  const err = (!eventQuery.data && eventQuery.error) || (!setup && setupQuery.error);
  if (err) {
    const locked = isPlanRequired(err);
    return (
      <Page.Main>
        <Page.Title>{t('plugin.name', 'Certify')}</Page.Title>
        <Layouts.Header
          navigationAction={<BackLink />}
          title={locked ? t('lock.header', 'Certify') : t('event.error', 'This event could not be opened')}
        />
        <Layouts.Content>
          {locked ? (
            <LockedState message={errorMessage(err)} upgrade={upgradeLink(err)} onBack={() => navigate('../..', { relative: 'path' })} />
          ) : (
            <Page.Error content={errorMessage(err)} />
          )}
        </Layouts.Content>
      </Page.Main>
    );
  }

  if (!eventQuery.data || !setup) return <Page.Loading />;

  const event: EventDetail = eventQuery.data;
  const plan = event.organisation?.plan as Plan | null | undefined;
  const ctx: EventContextValue = { eventId, event, setup, refreshSetup, permissions, goToTab };

  return (
    <Page.Main>
      <Page.Title>{`${event.name} · Certify`}</Page.Title>
      <Layouts.Header
        navigationAction={<BackLink />}
        title={event.name}
        subtitle={
          <Flex gap={2} wrap="wrap">
            <Typography variant="epsilon" textColor="neutral600">
              {[formatDate(event.date), event.location, event.organisation?.name].filter((v) => v && v !== '—').join(' · ')}
            </Typography>
            {plan && <Badge active>{PLAN_LABELS[plan] ?? plan}</Badge>}
          </Flex>
        }
      />
      <Layouts.Content>
        <EventProvider value={ctx}>
          <Tabs.Root variant="simple" value={activeTab} onValueChange={(v) => goToTab(v)}>
            <Box paddingBottom={4}>
              <Tabs.List aria-label={t('tabs.label', 'Certify sections')}>
                {tabs.map((tab) => (
                  <Tabs.Trigger key={tab} value={tab}>
                    {t(TAB_LABELS[tab])}
                  </Tabs.Trigger>
                ))}
              </Tabs.List>
            </Box>
            {tabs.map((tab) => (
              <Tabs.Content key={tab} value={tab}>
                {tab === activeTab && <TabBody tab={tab} />}
              </Tabs.Content>
            ))}
          </Tabs.Root>
        </EventProvider>
      </Layouts.Content>
    </Page.Main>
  );
};

const TabBody = ({ tab }: { tab: TabId }) => {
  switch (tab) {
    case 'overview':
      return <OverviewTab />;
    case 'setup':
      return <SetupTab />;
    case 'certificate':
      return <CertificateTab />;
    case 'records':
      return <RecordsTab />;
    case 'publish':
      return <PublishTab />;
    default:
      return null;
  }
};

const BackLink = () => {
  const t = useT();
  return (
    <Link to="../.." relative="path" style={{ textDecoration: 'none' }}>
      <Flex gap={2}>
        <ArrowLeft fill="primary600" />
        <Typography variant="pi" textColor="primary600" fontWeight="bold">
          {t('event.back', 'All events')}
        </Typography>
      </Flex>
    </Link>
  );
};

