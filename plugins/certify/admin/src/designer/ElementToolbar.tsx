import { Box, Button, Flex, IconButton, IconButtonGroup, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowLineLeft, ArrowLineRight, ArrowsHorizontal, ArrowsOut, ArrowsVertical, ArrowUp, Image as ImageIcon, Layout, Minus, Plus, User } from '@strapi/icons';

import { msg, useT, type Message } from '../hooks/useT';
import type { NewElementKind } from './elements';
import type { Edge } from './state';

interface Props {
  pageMm: [number, number];
  /** How many elements are selected: alignment applies to the page for one, to their box for several. */
  selected: number;
  disabled: boolean;
  canPickImage: boolean;
  onAdd: (kind: NewElementKind) => void;
  onPickImage: () => void;
  onAlign: (edge: Edge) => void;
  onCentre: () => void;
}

const ALIGN: Array<{ edge: Edge; label: Message; icon: JSX.Element }> = [
  { edge: 'left', label: msg('designer.align.left', 'Align left'), icon: <ArrowLineLeft /> },
  { edge: 'centre', label: msg('designer.align.centre', 'Align centres horizontally'), icon: <ArrowsHorizontal /> },
  { edge: 'right', label: msg('designer.align.right', 'Align right'), icon: <ArrowLineRight /> },
  { edge: 'top', label: msg('designer.align.top', 'Align top'), icon: <ArrowUp /> },
  { edge: 'middle', label: msg('designer.align.middle', 'Align centres vertically'), icon: <ArrowsVertical /> },
  { edge: 'bottom', label: msg('designer.align.bottom', 'Align bottom'), icon: <ArrowDown /> },
];

/** Above the canvas: add elements, and align or centre the selection. */
export const ElementToolbar = ({ pageMm, selected, disabled, canPickImage, onAdd, onPickImage, onAlign, onCentre }: Props) => {
  const t = useT();
  const target = selected > 1 ? t('designer.toSelection', 'to each other') : t('designer.toPage', 'to the page');
  return (
    <Flex direction="column" alignItems="stretch" gap={3} paddingBottom={4}>
      <Flex gap={2} wrap="wrap">
        <Typography variant="sigma" textColor="neutral600">{t('designer.add', 'Add')}</Typography>
        <Button size="S" variant="secondary" startIcon={<Plus />} disabled={disabled} onClick={() => onAdd('text')}>{t('designer.add.text', 'Text')}</Button>
        <Button size="S" variant="secondary" startIcon={<Layout />} disabled={disabled} onClick={() => onAdd('qr')}>{t('designer.add.qr', 'QR code')}</Button>
        <Button size="S" variant="secondary" startIcon={<User />} disabled={disabled} onClick={() => onAdd('photo')}>{t('designer.add.photo', 'Photo')}</Button>
        {canPickImage && (
          <Button size="S" variant="secondary" startIcon={<ImageIcon />} disabled={disabled} onClick={onPickImage}>{t('designer.add.image', 'Image')}</Button>
        )}
        <Button size="S" variant="secondary" startIcon={<Plus />} disabled={disabled} onClick={() => onAdd('rect')}>{t('designer.add.box', 'Box')}</Button>
        <Button size="S" variant="secondary" startIcon={<Minus />} disabled={disabled} onClick={() => onAdd('line')}>{t('designer.add.line', 'Line')}</Button>
        <Box grow={1} />
        <Typography variant="pi" textColor="neutral500">{`${pageMm[0]} × ${pageMm[1]} mm`}</Typography>
      </Flex>
      {selected > 0 && !disabled && (
        <Flex gap={2} wrap="wrap">
          <Typography variant="sigma" textColor="neutral600">{t('designer.align', 'Align {target}', { target })}</Typography>
          <IconButtonGroup>
            {ALIGN.map(({ edge, label, icon }) => (
              <IconButton key={edge} label={t(label)} onClick={() => onAlign(edge)}>
                {icon}
              </IconButton>
            ))}
          </IconButtonGroup>
          <Button size="S" variant="tertiary" startIcon={<ArrowsOut />} onClick={onCentre}>
            {t('designer.centre', 'Centre on page')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};
