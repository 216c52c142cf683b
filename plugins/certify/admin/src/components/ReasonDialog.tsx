import * as React from 'react';
import { Button, Dialog, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';

import { useT } from '../hooks/useT';

export interface ReasonField {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  error?: string;
}

/**
 * A confirmation that may ask why (revoking a certificate, taking an event offline): the text
 * says what happens, the optional reason field says where the reason is shown.
 */
export const ReasonDialog = ({
  open,
  title,
  text,
  reason,
  confirmLabel,
  danger = true,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  text: string;
  reason?: ReasonField;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) => {
  const t = useT();
  return (
    <Dialog.Root open={open} onOpenChange={(o: boolean) => !o && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body icon={<WarningCircle fill={danger ? 'danger600' : 'primary600'} />}>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            <Typography textAlign="center">{text}</Typography>
            {reason && (
              <Field.Root name="reason" required={reason.required} error={reason.error} hint={reason.hint}>
                <Field.Label>{reason.label}</Field.Label>
                <Textarea value={reason.value} maxLength={500} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => reason.onChange(e.target.value)} />
                <Field.Error />
                <Field.Hint />
              </Field.Root>
            )}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
          </Dialog.Cancel>
          <Button fullWidth variant={danger ? 'danger-light' : 'default'} loading={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
