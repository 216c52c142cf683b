import { Flex, Loader } from '@strapi/design-system';
import { useT } from '../hooks/useT';

export const Loading = ({ label }: { label?: string }) => {
  const t = useT();
  return (
    <Flex justifyContent="center" padding={8}>
      <Loader>{label ?? t('common.loading', 'Loading…')}</Loader>
    </Flex>
  );
};
