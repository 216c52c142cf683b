import * as React from 'react';
import { Box, Flex, Loader } from '@strapi/design-system';

import { mediaUrl, useCertifyApi, type TemplateView } from '../api/client';
import { pageSizeMm } from '../designer/geometry';

/**
 * A template card's picture: the server's rendering of the saved template, falling back to its
 * background while rendering or when the preview is unavailable.
 */
export const TemplateThumb = ({ eventId, template, onClick }: { eventId: string; template: TemplateView; onClick: () => void }) => {
  const api = useCertifyApi();
  const [url, setUrl] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [w, h] = pageSizeMm(template);
  const bg = mediaUrl(template.background?.url);

  React.useEffect(() => {
    const ctrl = new AbortController();
    let made: string | null = null;
    setLoading(true);
    api
      .previewTemplate(eventId, template.documentId, { format: 'png' }, ctrl.signal)
      .then((blob) => {
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => setUrl(null))
      .finally(() => !ctrl.signal.aborted && setLoading(false));
    return () => {
      ctrl.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, eventId, template.documentId, template.updatedAt]);

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
      {loading && (
        <Flex position="absolute" top={2} right={2} background="neutral0" hasRadius padding={1}>
          <Loader small>Rendering</Loader>
        </Flex>
      )}
    </Box>
  );
};
