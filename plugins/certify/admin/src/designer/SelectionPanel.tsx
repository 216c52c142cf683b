import { Box, Button, Flex, Typography } from '@strapi/design-system';

import type { DesignElement } from '../../../shared/contracts/templates';
import { useT } from '../hooks/useT';
import { Inspector, type MediaPicking } from './Inspector';

interface Props {
  elements: DesignElement[];
  selected: DesignElement[];
  fields: string[];
  fonts: string[];
  disabled: boolean;
  onSelect: (id: string | null) => void;
  onChange: (id: string, patch: Partial<DesignElement>) => void;
  onRemove: () => void;
  /** Picking or uploading a photo element's placeholder image (the element's id is given). */
  placeholderMedia: (id: string) => MediaPicking;
}

/** Beside the canvas: the inspector for one selected element, otherwise the list of elements. */
export const SelectionPanel = ({ elements, selected, fields, fonts, disabled, onSelect, onChange, onRemove, placeholderMedia }: Props) => {
  const t = useT();
  const [only] = selected.length === 1 ? selected : [];
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
      <Typography variant="delta" tag="h3">
        {only ? t('designer.element', 'Selected element') : t('designer.elements', 'Elements')}
      </Typography>
      <Box paddingTop={3}>
        {only ? (
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Inspector
              element={only}
              fields={fields}
              fonts={fonts}
              disabled={disabled}
              onChange={(patch) => onChange(only.id, patch)}
              onDelete={onRemove}
              placeholderMedia={placeholderMedia(only.id)}
            />
            <Button variant="tertiary" size="S" onClick={() => onSelect(null)}>{t('designer.done', 'Done')}</Button>
          </Flex>
        ) : elements.length === 0 ? (
          <Typography variant="pi" textColor="neutral600">{t('designer.noElements', 'Add text, a QR code or a photo to the page.')}</Typography>
        ) : (
          <Flex direction="column" alignItems="stretch" gap={1}>
            {selected.length > 1 && (
              <Typography variant="pi" textColor="neutral600" paddingBottom={2} tag="p">
                {t('designer.multi', '{n} elements selected: drag one to move them together, or align them above. Shift+click adds or removes one.', { n: selected.length })}
              </Typography>
            )}
            {elements.map((el) => (
              <Box
                key={el.id}
                padding={2}
                hasRadius
                background={selected.includes(el) ? 'primary100' : 'neutral100'}
                style={{ cursor: 'pointer' }}
                onClick={() => onSelect(el.id)}
              >
                <Flex justifyContent="space-between">
                  <Typography fontWeight="semiBold">{el.id}</Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {el.type === 'text' ? (el.text ? el.text.slice(0, 28) : `{${el.field ?? ''}}`) : el.type}
                  </Typography>
                </Flex>
              </Box>
            ))}
          </Flex>
        )}
      </Box>
    </Box>
  );
};
