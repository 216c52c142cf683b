import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Flex,
  Searchbar,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tooltip,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ChevronRight, Lock, SealCheck } from '@strapi/icons';
import { Layouts, Page, useDebounce } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';

import { PLAN_LABELS, type Plan } from '../../../shared/errors';
import { useEventsQuery } from '../api/events';
import { errorMessage } from '../api/client';
import { Empty } from '../components/Empty';
import { useT } from '../hooks/useT';
import { formatDate } from '../utils/format';

const PAGE_SIZE = 20;

/** Pick the event to work on; events whose plan lacks Certify show a lock and why. */
export const EventPickerPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const [search, setSearch] = React.useState('');
  const [page, setPage] = React.useState(1);
  const debounced = useDebounce(search, 300);

  React.useEffect(() => setPage(1), [debounced]);

  const { data, error, isLoading } = useEventsQuery({ search: debounced || undefined, page, pageSize: PAGE_SIZE });

  const events = data?.results ?? [];
  const total = data?.pagination.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'Certify')}</Page.Title>
      <Layouts.Header
        title={t('picker.title', 'Certify')}
        subtitle={t(
          'picker.subtitle',
          'Personalised certificates for your participants. Choose an event to set up, design and publish its certificates.'
        )}
      />
      <Layouts.Action
        startActions={
          <Box width="32rem">
            <Searchbar
              name="search"
              value={search}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)}
              onClear={() => setSearch('')}
              placeholder={t('picker.search', 'Search events by name')}
              clearLabel={t('common.clear', 'Clear')}
            >
              {t('picker.search', 'Search events by name')}
            </Searchbar>
          </Box>
        }
      />
      <Layouts.Content>
        {error ? (
          <Page.Error content={errorMessage(error)} />
        ) : !isLoading && events.length === 0 ? (
          <Empty
            content={
              debounced
                ? t('picker.noMatch', 'No event matches "{search}".', { search: debounced })
                : t('picker.empty', 'There are no events yet. Create one in the Content Manager first.')
            }
          />
        ) : (
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Table colCount={5} rowCount={events.length + 1}>
              <Thead>
                <Tr>
                  <Th><Typography variant="sigma">{t('picker.col.event', 'Event')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('picker.col.date', 'Date')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('picker.col.organisation', 'Organisation')}</Typography></Th>
                  <Th><Typography variant="sigma">{t('picker.col.certify', 'Certify')}</Typography></Th>
                  <Th><VisuallyHidden>{t('common.actions', 'Actions')}</VisuallyHidden></Th>
                </Tr>
              </Thead>
              <Tbody>
                {events.map((ev) => {
                  const plan = ev.organisation?.plan as Plan | null | undefined;
                  return (
                    <Tr
                      key={ev.documentId}
                      onClick={() => navigate(`events/${ev.documentId}`)}
                      style={{ cursor: 'pointer' }}
                    >
                      <Td>
                        <Flex direction="column" alignItems="flex-start" gap={1}>
                          <Typography fontWeight="semiBold" textColor="neutral800">{ev.name}</Typography>
                          {ev.location && <Typography variant="pi" textColor="neutral600">{ev.location}</Typography>}
                        </Flex>
                      </Td>
                      <Td><Typography textColor="neutral800">{formatDate(ev.date)}</Typography></Td>
                      <Td>
                        <Flex gap={2}>
                          <Typography textColor="neutral800">{ev.organisation?.name ?? '—'}</Typography>
                          {plan && <Badge>{PLAN_LABELS[plan] ?? plan}</Badge>}
                        </Flex>
                      </Td>
                      <Td style={{ maxWidth: '42rem', whiteSpace: 'normal' }}>
                        {ev.certifyEnabled ? (
                          <Flex gap={2}>
                            <SealCheck fill="success600" />
                            <Typography textColor="success600" fontWeight="semiBold">{t('picker.unlocked', 'Available')}</Typography>
                          </Flex>
                        ) : (
                          <Flex gap={2} alignItems="flex-start">
                            <Box paddingTop={1}><Lock fill="warning600" aria-label={t('picker.locked', 'Locked')} /></Box>
                            <Typography variant="pi" textColor="neutral600" style={{ whiteSpace: 'normal' }}>
                              {ev.lockReason ?? t('picker.lockedDefault', 'Certify needs the Pro plan or above.')}
                            </Typography>
                          </Flex>
                        )}
                      </Td>
                      <Td>
                        <Tooltip label={ev.certifyEnabled ? t('picker.open', 'Open') : t('picker.why', 'See why it is locked')}>
                          <Flex justifyContent="flex-end"><ChevronRight /></Flex>
                        </Tooltip>
                      </Td>
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
            {pageCount > 1 && (
              <Flex justifyContent="space-between">
                <Typography variant="pi" textColor="neutral600">
                  {t('picker.count', '{total} events', { total })}
                </Typography>
                <Flex gap={2}>
                  <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                    {t('common.previous', 'Previous')}
                  </Button>
                  <Typography variant="pi">{page} / {pageCount}</Typography>
                  <Button variant="tertiary" disabled={page >= pageCount} onClick={() => setPage((p) => p + 1)}>
                    {t('common.next', 'Next')}
                  </Button>
                </Flex>
              </Flex>
            )}
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
