import { Box, Flex, Loader } from '@strapi/design-system';

import { useTemplatePreviewQuery } from '../api/templates';
import { mediaUrl, type TemplateView } from '../api/client';
import { pageSizeMm } from '../designer/geometry';
import { useT } from '../hooks/useT';

/**
 * A template card's picture: the server's rendering of the saved template, falling back to its
 * background while rendering or when the preview is unavailable.
 */
export const TemplateThumb = ({ eventId, template, onClick }: { eventId: string; template: TemplateView; onClick: () => void }) => {
  const t = useT();
  const preview = useTemplatePreviewQuery({ eventId, templateId: template.documentId, version: template.updatedAt });
  const url = preview.isError ? null : preview.data;
  const [w, h] = pageSizeMm(template);
  const bg = mediaUrl(template.background?.url);

  return (
    <Box
      background="neutral150"
      position="relative"
      style={{
        aspectRatio: `${w} / ${h}`,
        backgroundImage: url ? `url("${url}")` : bg ? `url("${bg}")` : undefined,
        backgroundSize: 'cover',
        backgroundPosition: 'center',
        cursor: 'pointer',
      }}
      onClick={onClick}
    >
      {preview.isFetching && (
        <Flex position="absolute" top={2} right={2} background="neutral0" hasRadius padding={1}>
          <Loader small>{t('template.rendering', 'Rendering')}</Loader>
        </Flex>
      )}
    </Box>
  );
};
