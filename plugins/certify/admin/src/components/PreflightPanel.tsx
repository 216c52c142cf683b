import * as React from 'react';
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { CheckCircle, WarningCircle } from '@strapi/icons';
import { Link } from 'react-router-dom';

import { usePreflightQuery } from '../api/publish';
import { errorMessage } from '../api/client';
import { PREFLIGHT_KINDS, type PreflightKind, type PreflightRecord, type PreflightReport } from '../../../shared/contracts/publish';
import { msg, useT, type Message } from '../hooks/useT';
import { formatNumber } from '../utils/format';

const TITLES: Record<PreflightKind, Message> = {
  emptyField: msg('preflight.emptyField', '{n, plural, one {# certificate would show} other {# certificates would show}} an empty field'),
  overflow: msg('preflight.overflow', '{n, plural, one {# certificate has} other {# certificates have}} text too long for its box, even at the smallest size'),
  missingPhoto: msg('preflight.missingPhoto', '{n, plural, one {# certificate has} other {# certificates have}} no photo for the photo frame'),
};

/** The Records tab searched for this bib: the record, one click away. */
const RecordLink = ({ record, detail }: { record: PreflightRecord; detail: string }) => {
  const t = useT();
  return (
    <Flex gap={2} tag="li">
      <Link to={{ search: `?tab=records&q=${encodeURIComponent(record.bib)}` }}>
        <Typography variant="pi" textColor="primary600">
          {t('preflight.record', 'Bib {bib}', { bib: record.bib })}
        </Typography>
      </Link>
      <Typography variant="pi" textColor="neutral700" ellipsis style={{ maxWidth: '32rem' }} title={record.name ?? undefined}>
        {record.name ?? '—'}
      </Typography>
      <Typography variant="pi" textColor="neutral500">{detail}</Typography>
    </Flex>
  );
};

const Kind = ({ kind, report }: { kind: PreflightKind; report: PreflightReport }) => {
  const t = useT();
  const total = report.totals[kind];
  const listed = report.records[kind];
  const detail = (r: PreflightRecord) =>
    r.elements.map((e) => (e.field ? `${e.elementId}: ${e.field}` : e.elementId)).join(', ');
  return (
    <Box paddingTop={3}>
      <Flex gap={2}>
        <Badge backgroundColor="warning100" textColor="warning700">{formatNumber(total)}</Badge>
        <Typography fontWeight="semiBold">{t(TITLES[kind], { n: total })}</Typography>
      </Flex>
      {kind === 'emptyField' && (
        <Typography variant="pi" textColor="neutral600" tag="p">
          {Object.entries(report.emptyFields)
            .map(([field, n]) => `${field}: ${formatNumber(n)}`)
            .join(' · ')}
        </Typography>
      )}
      <Box tag="ul" paddingTop={1} paddingLeft={2}>
        {listed.map((r) => (
          <RecordLink key={r.documentId} record={r} detail={detail(r)} />
        ))}
      </Box>
      {total > listed.length && (
        <Typography variant="pi" textColor="neutral500">
          {t('preflight.more', 'and {n} more', { n: formatNumber(total - listed.length) })}
        </Typography>
      )}
    </Box>
  );
};

/**
 * Pre-flight before "Publish N": the records whose certificate would show an empty field, text
 * that does not fit, or an empty photo frame, each linked to the Records tab. Publishing anyway
 * stays the organiser's choice.
 */
export const PreflightPanel = ({ eventId }: { eventId: string }) => {
  const t = useT();
  const preflight = usePreflightQuery({ eventId });
  const report = preflight.data;
  if (preflight.error) {
    return (
      <Typography variant="pi" textColor="danger600" tag="p">
        {t('preflight.failed', 'The pre-flight check failed: {error}', { error: errorMessage(preflight.error) })}
      </Typography>
    );
  }
  if (!report) {
    return <Typography variant="pi" textColor="neutral500">{t('preflight.loading', 'Checking the certificates…')}</Typography>;
  }
  const problems = PREFLIGHT_KINDS.filter((k) => report.totals[k] > 0);
  return (
    <Box background={problems.length ? 'warning100' : 'success100'} hasRadius padding={4} marginTop={4} role="region" aria-label={t('preflight.title', 'Pre-flight check')}>
      <Flex gap={2}>
        {problems.length ? <WarningCircle fill="warning600" /> : <CheckCircle fill="success600" />}
        <Typography fontWeight="bold">{t('preflight.title', 'Pre-flight check')}</Typography>
      </Flex>
      {problems.length === 0 ? (
        <Typography variant="pi" textColor="neutral700" tag="p">
          {t('preflight.clean', 'No empty fields, text that does not fit or missing photos in the {n} certificates to publish.', { n: formatNumber(report.checked) })}
        </Typography>
      ) : (
        <>
          {problems.map((kind) => (
            <Kind key={kind} kind={kind} report={report} />
          ))}
          <Typography variant="pi" textColor="neutral600" tag="p" paddingTop={3}>
            {t('preflight.anyway', 'Fix the records or the template first, or publish anyway: the choice is yours.')}
          </Typography>
        </>
      )}
    </Box>
  );
};
