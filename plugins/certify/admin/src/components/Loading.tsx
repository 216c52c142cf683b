import { Flex, Loader } from '@strapi/design-system';

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <Flex justifyContent="center" padding={8}>
    <Loader>{label}</Loader>
  </Flex>
);
