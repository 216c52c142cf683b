import { Box, Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { Key } from '@strapi/icons';
import { useClipboard } from '@strapi/strapi/admin';

import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';

/** The proxy token, shown exactly once: the server keeps only its hash. */
export const TokenDialog = ({ token, pushUrl, onClose }: { token: string | null; pushUrl?: string; onClose: () => void }) => {
  const { copy } = useClipboard();
  const notify = useNotify();
  const t = useT();
  return (
    <Dialog.Root open={Boolean(token)} onOpenChange={(open: boolean) => !open && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{t('token.title', 'Copy the push token now')}</Dialog.Header>
        <Dialog.Body icon={<Key fill="warning600" />}>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            <Typography textAlign="center">
              {t('token.once', 'This token is shown only once. Give it to your timing partner; rotate it to replace it.')}
            </Typography>
            <Box padding={3} background="neutral100" hasRadius style={{ wordBreak: 'break-all', fontFamily: 'monospace' }}>
              <Typography>{token}</Typography>
            </Box>
            {pushUrl && (
              <Typography variant="pi" textColor="neutral600">
                {t('token.pushUrl', 'POST CSV or JSON to {url} with the header “Authorization: Bearer” followed by the token.', { url: pushUrl })}
              </Typography>
            )}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary" fullWidth>{t('common.close', 'Close')}</Button>
          </Dialog.Cancel>
          <Button
            fullWidth
            onClick={async () => {
              if (token && (await copy(token))) notify.success(t('token.copied', 'Token copied.'));
            }}
          >
            {t('token.copy', 'Copy token')}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
