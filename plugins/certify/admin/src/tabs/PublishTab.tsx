import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Checkbox,
  Dialog,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, Cross, Download, Eye, EyeStriked, PaperPlane, WarningCircle } from '@strapi/icons';

import { useAvailabilityQuery, useBringOnlineMutation, useTakeOfflineMutation } from '../api/availability';
import {
  useCancelRunMutation,
  useZipLinkMutation,
  usePreflightQuery,
  usePublishMutation,
  usePublishSummaryQuery,
  useRetryFailedMutation,
  useRunProgressQuery,
} from '../api/publish';
import type { PublishSelection } from '../../../shared/contracts/publish';
import { useRecordsQuery } from '../api/records';
import { errorMessage } from '../api/client';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { PreflightPanel } from '../components/PreflightPanel';
import { Loading } from '../components/Loading';
import { ReasonDialog } from '../components/ReasonDialog';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';
import { useEventContext } from '../pages/EventContext';
import { formatDate, formatDuration, formatNumber } from '../utils/format';

const SUMMARY_POLL_MS = 7500;

const Stat = ({ label, value, tone = 'neutral', hint }: { label: string; value: string; tone?: string; hint?: string }) => (
  <Box padding={5} hasRadius background="neutral0" shadow="tableShadow" height="100%">
    <Typography variant="sigma" textColor="neutral600">{label}</Typography>
    <Typography variant="alpha" tag="p" textColor={`${tone}700`}>{value}</Typography>
    {hint && <Typography variant="pi" textColor="neutral500">{hint}</Typography>}
  </Box>
);

/** A card with a title, what it does, and its controls on the right. */
const Section = ({ title, text, children }: { title: string; text: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
    <Flex justifyContent="space-between" gap={4} wrap="wrap">
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Typography variant="delta" tag="h2">{title}</Typography>
        <Typography textColor="neutral600">{text}</Typography>
      </Flex>
      {children}
    </Flex>
  </Box>
);

/** Publish certificates: what will change, start a run, watch it, download the files. */
export const PublishTab = () => {
  const { eventId, event, permissions } = useEventContext();
  const notify = useNotify();
  const t = useT();

  const progress = useRunProgressQuery(eventId);
  const active = progress.active;
  const run = progress.data ?? null;
  const runError = progress.error ? errorMessage(progress.error) : null;
  // The counts move as a run goes: refresh them now and then rather than on every poll.
  const summary = usePublishSummaryQuery(eventId, { pollingInterval: active ? SUMMARY_POLL_MS : 0 });
  const [only, setOnly] = React.useState<PublishSelection | null>(null);
  // The confirmation says when problems remain: of the whole event (the pre-flight panel's, same
  // cache) or of the selection about to be published (a pasted list too long for a URL is skipped).
  const preflight = usePreflightQuery({ eventId, only }, { skip: active || (only?.bibs?.join(',').length ?? 0) > 20_000 });
  const categories = useRecordsQuery({ eventId, query: { pageSize: 1 } });
  const failedRecords = useRecordsQuery({ eventId, query: { status: 'failed', pageSize: 1 } }, { skip: active });
  const availability = useAvailabilityQuery(eventId);
  const [publish, publishing] = usePublishMutation();
  const [retryFailed, retrying] = useRetryFailedMutation();
  const [cancelRun, cancelling] = useCancelRunMutation();
  const [takeOffline, goingOffline] = useTakeOfflineMutation();
  const [bringOnline, comingOnline] = useBringOnlineMutation();
  const [confirmCancel, setConfirmCancel] = React.useState(false);
  const [confirmOffline, setConfirmOffline] = React.useState(false);
  const [offlineReason, setOfflineReason] = React.useState('');
  const [zipLinkFor, zipping] = useZipLinkMutation();
  const [confirm, setConfirm] = React.useState(false);
  const [email, setEmail] = React.useState(false);
  const [zipCategory, setZipCategory] = React.useState('');
  // A subset to publish: one category and/or a pasted list of bibs (null: the whole event).
  const [subsetCategory, setSubsetCategory] = React.useState('');
  const [subsetBibs, setSubsetBibs] = React.useState('');
  const bibList = React.useMemo(() => [...new Set(subsetBibs.split(/[\s,;]+/).map((b) => b.trim()).filter(Boolean))], [subsetBibs]);

  const wasActive = React.useRef(false);
  React.useEffect(() => {
    if (wasActive.current && !active && run?.status === 'finished') {
      notify.success(t('publish.finished', 'Publishing finished: {done} certificates, {failed} failed.', { done: run.done, failed: run.failed }));
    }
    wasActive.current = active;
  }, [active, run, notify, t]);

  const start = async () => {
    try {
      const res = await publish({ eventId, body: only ? { email, only } : { email } }).unwrap();
      notify.info(res.message || (res.joined ? t('publish.joined', 'A run was already in progress: showing it.') : t('publish.started', 'Publishing started.')));
    } catch (err) {
      notify.error(err, t('publish.startFailed', 'Publishing did not start'));
    } finally {
      setConfirm(false);
      setOnly(null);
    }
  };

  const retry = async () => {
    try {
      const res = await retryFailed({ eventId }).unwrap();
      notify.info(res.joined ? t('publish.joined', 'A run was already in progress: showing it.') : t('publish.retryStarted', 'Retrying the failed certificates.'));
    } catch (err) {
      notify.error(err, t('publish.retryFailed', 'The retry did not start'));
    }
  };

  const goOffline = async () => {
    try {
      await takeOffline({ eventId, reason: offlineReason.trim() || null }).unwrap();
      notify.info(t('availability.offlineDone', 'The certificates of this event are offline.'));
      setConfirmOffline(false);
      setOfflineReason('');
    } catch (err) {
      notify.error(err, t('availability.offlineFailed', 'The certificates were not taken offline'));
    }
  };

  const goOnline = async () => {
    try {
      await bringOnline({ eventId }).unwrap();
      notify.success(t('availability.onlineDone', 'The certificates of this event are online again.'));
    } catch (err) {
      notify.error(err, t('availability.onlineFailed', 'The certificates are still offline'));
    }
  };

  const cancel = async () => {
    if (!run) return;
    try {
      await cancelRun({ eventId, runId: run.documentId }).unwrap();
      notify.info(t('publish.cancelling', 'Cancelling: certificates already rendered are kept.'));
    } catch (err) {
      notify.error(err, t('publish.cancelFailed', 'The run was not cancelled'));
    }
  };

  const saveZip = async () => {
    try {
      const link = await zipLinkFor({ eventId, category: zipCategory || undefined }).unwrap();
      if (link.certificates === 0) {
        notify.info(t('publish.zipEmpty', 'No published certificate to download yet.'));
        return;
      }
      // The browser downloads the archive itself: streamed to disk with its progress, whatever its size.
      window.location.assign(link.url);
    } catch (err) {
      notify.error(err, t('publish.zipFailed', 'The download failed'));
    }
  };

  if (summary.isLoading && !summary.data) return <Loading />;

  const s = summary.data;
  const toRender = s ? s.new + s.changed : 0;
  const problemCount = preflight.currentData?.withProblems ?? 0;
  // Records never published count as failed; a published one whose update failed stays stale, and
  // only the last run's count knows about it.
  const hasFailed = !active && ((failedRecords.data?.meta.pagination.total ?? 0) > 0 || (run?.failed ?? 0) > 0);
  const offline = availability.data?.offline ?? null;
  const pct = run && run.total > 0 ? Math.round(((run.done + run.failed) / run.total) * 100) : 0;
  // PDFs first, share images in a second pass: each has its bar.
  const images = run?.images ?? { queued: 0, done: 0, failed: 0 };
  const imagesTotal = images.queued + images.done + images.failed;
  const imagesPct = imagesTotal > 0 ? Math.round(((images.done + images.failed) / imagesTotal) * 100) : 0;

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      {offline && (
        <Box padding={5} background="danger100" borderColor="danger200" hasRadius role="status">
          <Flex justifyContent="space-between" gap={4} wrap="wrap">
            <Flex gap={3} alignItems="flex-start">
              <EyeStriked fill="danger600" />
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography fontWeight="bold" textColor="danger700">
                  {t('availability.offlineTitle', 'Certificates are offline since {at}', { at: formatDate(offline.offlineAt, true) })}
                </Typography>
                <Typography textColor="danger700">
                  {offline.reason
                    ? t('availability.offlineReason', 'Participants cannot find, verify or download them. Reason: {reason}', { reason: offline.reason })
                    : t('availability.offlineText', 'Participants cannot find, verify or download them.')}
                </Typography>
              </Flex>
            </Flex>
            {permissions.canPublish && (
              <Button variant="secondary" startIcon={<Eye />} onClick={goOnline} loading={comingOnline.isLoading}>
                {t('availability.bringOnline', 'Bring certificates back online')}
              </Button>
            )}
          </Flex>
        </Box>
      )}
      {Boolean(summary.error) && (
        <Box padding={4} background="danger100" hasRadius>
          <Typography textColor="danger700">{errorMessage(summary.error)}</Typography>
        </Box>
      )}
      {s && (
        <Grid.Root gap={4}>
          <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
            <Stat label={t('publish.statNew', 'New')} value={formatNumber(s.new)} tone={s.new > 0 ? 'success' : 'neutral'} hint={t('publish.statNewHint', 'never rendered')} />
          </Grid.Item>
          <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
            <Stat label={t('publish.statChanged', 'Changed')} value={formatNumber(s.changed)} tone={s.changed > 0 ? 'warning' : 'neutral'} hint={t('publish.statChangedHint', 'data or template changed')} />
          </Grid.Item>
          <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
            <Stat label={t('publish.statUnchanged', 'Up to date')} value={formatNumber(s.unchanged)} hint={t('publish.statUnchangedHint', 'nothing to do')} />
          </Grid.Item>
          <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
            <Stat
              label={t('publish.statNoTemplate', 'No template')}
              value={formatNumber(s.noTemplate)}
              tone={s.noTemplate > 0 ? 'danger' : 'neutral'}
              hint={t('publish.statNoTemplateHint', 'no template’s rules match')}
            />
          </Grid.Item>
        </Grid.Root>
      )}

      <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
        <Flex justifyContent="space-between" alignItems="flex-start" gap={6} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={2}>
            <Typography variant="delta" tag="h2">{t('publish.title', 'Publish certificates')}</Typography>
            <Typography textColor="neutral600">
              {toRender > 0
                ? t('publish.willRender', '{n} certificates will be rendered and added to the media library. Unchanged certificates are kept as they are.', { n: formatNumber(toRender) })
                : t('publish.nothing', 'Every certificate is up to date.')}
            </Typography>
            {s && s.templates.length > 0 && (
              <Flex gap={2} wrap="wrap">
                {s.templates.map((tpl) => (
                  <Badge key={tpl.documentId}>{`${tpl.name}: ${formatNumber(tpl.count)}`}</Badge>
                ))}
              </Flex>
            )}
            {s?.publishedOnce && (
              <Typography variant="pi" textColor="neutral500">
                {t('publish.auto', 'Published before: edits, imports and template changes re-render the affected certificates automatically.')}
              </Typography>
            )}
          </Flex>
          {!permissions.canPublish && !permissions.isLoading && (
            <Typography variant="pi" textColor="neutral600">
              {t('publish.noPermission', 'Publishing needs the Certify “Publish” permission; ask an administrator.')}
            </Typography>
          )}
          {permissions.canPublish && !active && (
            <Flex direction="column" alignItems="flex-end" gap={3}>
              <Checkbox checked={email} onCheckedChange={(c: boolean | 'indeterminate') => setEmail(c === true)}>
                {t('publish.email', 'Email each participant their certificate')}
              </Checkbox>
              <Flex gap={2}>
                {hasFailed && (
                  <Button size="L" variant="secondary" startIcon={<ArrowClockwise />} onClick={retry} loading={retrying.isLoading}>
                    {t('publish.retry', 'Retry failed certificates')}
                  </Button>
                )}
                {toRender > 0 && (
                  <Button size="L" startIcon={<PaperPlane />} onClick={() => setConfirm(true)} loading={publishing.isLoading}>
                    {t('publish.button', 'Publish {n}', { n: formatNumber(toRender) })}
                  </Button>
                )}
              </Flex>
            </Flex>
          )}
        </Flex>

        {toRender > 0 && !active && <PreflightPanel eventId={eventId} />}

        {(run || runError) && (
          <Box paddingTop={6}>
            {runError ? (
              <Flex gap={2}>
                <WarningCircle fill="warning600" />
                <Typography variant="pi" textColor="neutral600">{runError}</Typography>
              </Flex>
            ) : run ? (
              <Box background="neutral100" hasRadius padding={5}>
                <Flex justifyContent="space-between" paddingBottom={3}>
                  <Flex gap={2}>
                    <Typography fontWeight="bold">
                      {active ? t('publish.progress', 'Run in progress') : t('publish.lastRun', 'Last run')}
                    </Typography>
                    <Badge active={active}>{run.status}</Badge>
                  </Flex>
                  {active && permissions.canPublish && run.status !== 'cancelling' && (
                    <Button variant="danger-light" size="S" startIcon={<Cross />} onClick={() => setConfirmCancel(true)} loading={cancelling.isLoading}>
                      {t('publish.cancel', 'Cancel run')}
                    </Button>
                  )}
                </Flex>
                <Flex gap={3}>
                  <Box grow={1} background="neutral200" hasRadius height="0.8rem" overflow="hidden" aria-hidden>
                    <Box background={run.failed > 0 ? 'warning500' : 'primary600'} height="100%" style={{ width: `${pct}%`, transition: 'width 0.6s ease' }} />
                  </Box>
                  <Typography variant="pi" fontWeight="bold" aria-label={t('publish.percent', '{pct}% done', { pct })}>{`${pct}%`}</Typography>
                </Flex>
                <Typography variant="pi" textColor="neutral600">{t('publish.pdfsBar', 'Certificates (PDF)')}</Typography>
                {imagesTotal > 0 && (
                  <Box paddingTop={3}>
                    <Flex gap={3}>
                      <Box grow={1} background="neutral200" hasRadius height="0.8rem" overflow="hidden" aria-hidden>
                        <Box background={images.failed > 0 ? 'warning500' : 'success500'} height="100%" style={{ width: `${imagesPct}%`, transition: 'width 0.6s ease' }} />
                      </Box>
                      <Typography variant="pi" fontWeight="bold" aria-label={t('publish.imagesPercent', 'Share images {pct}% done', { pct: imagesPct })}>{`${imagesPct}%`}</Typography>
                    </Flex>
                    <Typography variant="pi" textColor="neutral600">
                      {t('publish.imagesBar', 'Share images: {done} of {total} (made on first view until then)', { done: formatNumber(images.done), total: formatNumber(imagesTotal) })}
                    </Typography>
                  </Box>
                )}
                <Grid.Root gap={4} paddingTop={4}>
                  {[
                    [t('publish.done', 'Done'), formatNumber(run.done)],
                    [t('publish.failed', 'Failed'), formatNumber(run.failed)],
                    [t('publish.remaining', 'Remaining'), formatNumber(run.remaining)],
                    [t('publish.rate', 'Rate'), `${run.ratePerSec ? run.ratePerSec.toFixed(1) : '0'} /s`],
                    [t('publish.eta', 'Time left'), active ? formatDuration(run.etaSec) : '—'],
                    [t('publish.emails', 'Emails sent'), run.emails && run.emails.queued + run.emails.sent + run.emails.failed > 0
                        ? `${formatNumber(run.emails.sent)} / ${formatNumber(run.emails.queued + run.emails.sent + run.emails.failed)}`
                        : '—'],
                  ].map(([label, value]) => (
                    <Grid.Item key={label} col={2} s={4} direction="column" alignItems="flex-start">
                      <Typography variant="sigma" textColor="neutral600">{label}</Typography>
                      <Typography variant="delta" tag="p">{value}</Typography>
                    </Grid.Item>
                  ))}
                </Grid.Root>
                <Typography variant="pi" textColor="neutral500" paddingTop={2} tag="p">
                  {run.finishedAt
                    ? t('publish.finishedAt', 'Started {start}, finished {end}.', { start: formatDate(run.startedAt, true), end: formatDate(run.finishedAt, true) })
                    : run.startedAt
                      ? t('publish.startedAt', 'Started {start}.', { start: formatDate(run.startedAt, true) })
                      : ''}
                </Typography>
              </Box>
            ) : null}
          </Box>
        )}
      </Box>

      {permissions.canPublish && !active && (
        <Section
          title={t('publish.subset', 'Publish a part of the event')}
          text={t('publish.subsetText', 'One category, a list of bibs, or both (a record must match each). Records whose certificate is already up to date are skipped. On the Records tab, select rows and choose “Publish”.')}
        >
          <Flex gap={2} alignItems="flex-end" wrap="wrap">
            <Box minWidth="20rem">
              <SingleSelect
                aria-label={t('publish.subsetCategory', 'Category to publish')}
                value={subsetCategory || '__all__'}
                onChange={(v: string | number) => setSubsetCategory(v === '__all__' ? '' : String(v))}
              >
                <SingleSelectOption value="__all__">{t('records.allCategories', 'All categories')}</SingleSelectOption>
                {(categories.data?.meta.categories ?? []).map((c) => (
                  <SingleSelectOption key={c} value={c}>{c}</SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            <Box minWidth="30rem">
              <Textarea
                aria-label={t('publish.subsetBibs', 'Bibs to publish')}
                placeholder={t('publish.subsetBibsPlaceholder', 'Bibs, separated by spaces, commas or lines')}
                value={subsetBibs}
                onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setSubsetBibs(e.target.value)}
              />
            </Box>
            <Button
              variant="secondary"
              startIcon={<PaperPlane />}
              disabled={!subsetCategory && bibList.length === 0}
              onClick={() => {
                setOnly({ ...(subsetCategory ? { category: subsetCategory } : {}), ...(bibList.length ? { bibs: bibList } : {}) });
                setConfirm(true);
              }}
            >
              {t('publish.subsetButton', 'Publish selection')}
            </Button>
          </Flex>
        </Section>
      )}

      <Section title={t('publish.download', 'Download certificates')} text={t('publish.downloadText', 'A ZIP of every published PDF, named by bib and name.')}>
          <Flex gap={2}>
            <Box minWidth="20rem">
              <SingleSelect
                aria-label={t('publish.zipCategory', 'Category')}
                value={zipCategory || '__all__'}
                onChange={(v: string | number) => setZipCategory(v === '__all__' ? '' : String(v))}
              >
                <SingleSelectOption value="__all__">{t('records.allCategories', 'All categories')}</SingleSelectOption>
                {(categories.data?.meta.categories ?? []).map((c) => (
                  <SingleSelectOption key={c} value={c}>{c}</SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            <Button variant="secondary" startIcon={<Download />} onClick={saveZip} loading={zipping.isLoading}>
              {t('publish.zip', 'Download ZIP')}
            </Button>
          </Flex>
      </Section>

      {permissions.canPublish && !offline && availability.data && (
        <Section
          title={t('availability.title', 'Take certificates offline')}
          text={t('availability.text', 'Hide every certificate of this event from participants (finder, verify page, files) without deleting anything. You can bring them back at any time.')}
        >
          <Button variant="danger-light" startIcon={<EyeStriked />} onClick={() => setConfirmOffline(true)}>
            {t('availability.takeOffline', 'Take offline')}
          </Button>
        </Section>
      )}

      <ConfirmDelete
        open={confirmCancel}
        title={t('publish.cancelTitle', 'Cancel this run?')}
        body={t('publish.cancelText', 'Certificates already rendered are kept; the rest stay as they are until the next publish.')}
        confirmLabel={t('publish.cancel', 'Cancel run')}
        onConfirm={cancel}
        onClose={() => setConfirmCancel(false)}
      />

      <ReasonDialog
        open={confirmOffline}
        title={t('availability.confirmTitle', 'Take this event’s certificates offline?')}
        text={t('availability.confirmText', 'Participants will no longer find, verify or download any certificate of this event until you bring them back online.')}
        reason={{
          label: t('availability.reason', 'Reason'),
          hint: t('availability.reasonHint', 'Optional, for organisers only: participants see that certificates are not available. At most 500 characters.'),
          value: offlineReason,
          onChange: setOfflineReason,
        }}
        confirmLabel={t('availability.takeOffline', 'Take offline')}
        busy={goingOffline.isLoading}
        onConfirm={goOffline}
        onClose={() => setConfirmOffline(false)}
      />

      <Dialog.Root open={confirm} onOpenChange={(o: boolean) => !o && (setConfirm(false), setOnly(null))}>
        <Dialog.Content>
          <Dialog.Header>{t('publish.confirmTitle', 'Publish certificates?')}</Dialog.Header>
          <Dialog.Body icon={<PaperPlane fill="primary600" />}>
            <Typography textAlign="center">
              {only
                ? t('publish.confirmSubset', 'The selected records ({what}) whose certificate is missing or out of date will be rendered{email, select, true { and emailed} other {}}.', {
                    what: [only.category, only.bibs ? t('publish.nBibs', '{n} bibs', { n: only.bibs.length }) : null].filter(Boolean).join(', '),
                    email: String(email),
                  })
                : email
                ? t('publish.confirmEmail', '{n} certificates will be rendered and each participant with an email address will receive theirs.', { n: formatNumber(toRender) })
                : t('publish.confirmText', '{n} certificates will be rendered and made available to participants.', { n: formatNumber(toRender) })}
            </Typography>
            {problemCount > 0 && (
              <Typography textAlign="center" textColor="warning700" tag="p" paddingTop={2}>
                {t('publish.confirmProblems', 'The pre-flight check found problems on {n, plural, one {# certificate} other {# certificates}}: they will be published as they are.', { n: problemCount })}
              </Typography>
            )}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Button fullWidth onClick={start} loading={publishing.isLoading}>{t('publish.confirm', 'Publish')}</Button>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Flex>
  );
};
