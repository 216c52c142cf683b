import * as React from 'react';
import { Box, EmptyStateLayout } from '@strapi/design-system';
import { Files } from '@strapi/icons';

/** An empty list with a sentence about what to do next. */
export const Empty = ({ content, action, icon }: { content: string; action?: React.ReactNode; icon?: React.ReactNode }) => (
  <EmptyStateLayout
    icon={icon ?? <Box color="neutral300"><Files width="6.4rem" height="6.4rem" /></Box>}
    content={content}
    action={action}
    shadow="tableShadow"
  />
);
