import { Box, Button, Flex, LinkButton, Typography } from '@strapi/design-system';
import { Lock } from '@strapi/icons';

import { useT } from '../hooks/useT';

/** Shown instead of Certify when the event's organisation plan does not include it. */
export const LockedState = ({
  message,
  upgrade,
  onBack,
}: {
  message: string;
  /** The host's billing link (config `certify.upgrade`), when it has one. */
  upgrade?: { url: string; label: string } | null;
  onBack?: () => void;
}) => {
  const t = useT();
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={10}>
      <Flex direction="column" alignItems="center" gap={4}>
        <Flex
          justifyContent="center"
          alignItems="center"
          background="warning100"
          width="6.4rem"
          height="6.4rem"
          style={{ borderRadius: '50%' }}
        >
          <Lock width="3.2rem" height="3.2rem" fill="warning600" />
        </Flex>
        <Typography variant="beta" tag="h2">
          {t('lock.title', 'Certify is locked for this event')}
        </Typography>
        <Box maxWidth="60rem">
          <Typography variant="omega" textColor="neutral600" textAlign="center" tag="p">
            {message}
          </Typography>
        </Box>
        {upgrade && (
          <LinkButton href={upgrade.url} variant="default">
            {upgrade.label}
          </LinkButton>
        )}
        {onBack && (
          <Button variant="tertiary" onClick={onBack}>
            {t('lock.back', 'Choose another event')}
          </Button>
        )}
      </Flex>
    </Box>
  );
};
