import * as React from 'react';
import { Badge, Flex, Typography } from '@strapi/design-system';

import { revokeRequest, type RevocationView } from '../../../shared/contracts/availability';
import type { RecordView } from '../../../shared/contracts/records';
import { useReinstateRecordMutation, useRevokeRecordMutation } from '../api/availability';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';
import { ReasonDialog } from './ReasonDialog';

/** A record as the admin list returns it: the revocation fields come with it. */
export type RevocableRecord = RecordView & Partial<Pick<RevocationView, 'revokedAt' | 'revokedReason'>>;

export const isRevoked = (r: RevocableRecord | null | undefined) => Boolean(r?.revokedAt);

/**
 * Revoke a record's certificate with a reason, or reinstate a revoked one. The reason is public
 * (the verify page shows it), which the dialog says before anything is sent.
 */
export const RevocationDialog = ({ eventId, record, onClose }: { eventId: string; record: RevocableRecord | null; onClose: () => void }) => {
  const t = useT();
  const notify = useNotify();
  const [revoke, revoking] = useRevokeRecordMutation();
  const [reinstate, reinstating] = useReinstateRecordMutation();
  const [reason, setReason] = React.useState('');
  const [error, setError] = React.useState<string | undefined>();
  const revoked = isRevoked(record);

  React.useEffect(() => {
    setReason('');
    setError(undefined);
  }, [record]);

  const submit = async () => {
    if (!record) return;
    try {
      if (revoked) {
        await reinstate({ eventId, id: record.documentId }).unwrap();
        notify.success(t('revoke.reinstated', 'Certificate {bib} reinstated: it verifies again.', { bib: record.bib }));
      } else {
        // The same schema the server parses with, so the message is the one the server would give.
        const parsed = revokeRequest.safeParse({ reason });
        if (!parsed.success) {
          setError(parsed.error.issues[0]?.message);
          return;
        }
        await revoke({ eventId, id: record.documentId, reason: parsed.data.reason }).unwrap();
        notify.success(t('revoke.done', 'Certificate {bib} revoked.', { bib: record.bib }));
      }
      onClose();
    } catch (err) {
      notify.error(err, revoked ? t('revoke.reinstateFailed', 'The certificate was not reinstated') : t('revoke.failed', 'The certificate was not revoked'));
    }
  };

  const bib = record?.bib ?? '';
  return (
    <ReasonDialog
      open={Boolean(record)}
      title={revoked ? t('revoke.reinstateTitle', 'Reinstate certificate {bib}?', { bib }) : t('revoke.title', 'Revoke certificate {bib}?', { bib })}
      text={
        revoked
          ? t('revoke.reinstateText', 'The certificate verifies again and participants can find and download it.')
          : t('revoke.text', 'Its verify page answers that it was revoked, the finder hides it and its files stop being served. You can reinstate it later.')
      }
      reason={
        revoked
          ? undefined
          : {
              label: t('revoke.reason', 'Reason'),
              hint: t('revoke.reasonHint', 'Shown publicly on the certificate’s verify page. 3 to 500 characters.'),
              value: reason,
              onChange: (value: string) => {
                setReason(value);
                setError(undefined);
              },
              required: true,
              error,
            }
      }
      confirmLabel={revoked ? t('revoke.reinstate', 'Reinstate') : t('revoke.confirm', 'Revoke')}
      danger={!revoked}
      busy={revoking.isLoading || reinstating.isLoading}
      onConfirm={submit}
      onClose={onClose}
    />
  );
};

/** "Revoked" with its reason, wherever a record's certificate state is shown. */
export const RevokedNote = ({ record }: { record: RevocableRecord }) => {
  const t = useT();
  if (!isRevoked(record)) return null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Badge backgroundColor="danger100" textColor="danger700">{t('revoke.badge', 'Revoked')}</Badge>
      {record.revokedReason && (
        <Typography variant="pi" textColor="danger600" title={record.revokedReason} style={{ maxWidth: 280, overflowWrap: 'anywhere' }}>
          {record.revokedReason}
        </Typography>
      )}
    </Flex>
  );
};
