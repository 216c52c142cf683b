import * as React from 'react';
import { Box, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { Code } from '@strapi/icons';

import { useT } from '../hooks/useT';

interface Props {
  html: string;
  css: string;
  disabled: boolean;
  onHtml: (html: string) => void;
  onCss: (css: string) => void;
}

/** HTML mode: the whole certificate as Handlebars HTML and CSS. */
export const HtmlPanel = ({ html, css, disabled, onHtml, onCss }: Props) => {
  const t = useT();
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex gap={2}>
          <Code />
          <Typography variant="pi" textColor="neutral600">
            {t('designer.htmlHint', 'Write the whole certificate as Handlebars HTML and CSS. Fields: {fields}. Scripts and external URLs are blocked.', { fields: '{{name}}, {{bib}}, {{finishTime}}, {{event.name}}, {{certificate.qr}}' })}
          </Typography>
        </Flex>
        <Field.Root name="html">
          <Field.Label>HTML</Field.Label>
          <Textarea
            value={html}
            disabled={disabled}
            style={{ fontFamily: 'monospace', minHeight: '28rem' }}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onHtml(e.target.value)}
          />
        </Field.Root>
        <Field.Root name="css">
          <Field.Label>CSS</Field.Label>
          <Textarea
            value={css}
            disabled={disabled}
            style={{ fontFamily: 'monospace', minHeight: '20rem' }}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onCss(e.target.value)}
          />
        </Field.Root>
      </Flex>
    </Box>
  );
};
