import * as React from 'react';
import { Box, Button, Field, Flex, Grid, NumberInput, Typography } from '@strapi/design-system';
import { Image as ImageIcon, Images, Upload } from '@strapi/icons';

import type { DesignDocument, TemplateInput } from '../../../shared/contracts/templates';
import { mediaUrl, type MediaFile } from '../api/client';
import { useT } from '../hooks/useT';
import { SelectField } from './SelectField';

interface Props {
  draft: TemplateInput;
  design: DesignDocument;
  background: MediaFile | null;
  fonts: string[];
  disabled: boolean;
  uploading: boolean;
  canPickFromLibrary: boolean;
  onEdit: (patch: Partial<TemplateInput>, key?: string) => void;
  onEditDesign: (patch: Partial<DesignDocument>) => void;
  onPickBackground: () => void;
  onUploadBackground: (file: File) => void;
  onRemoveBackground: () => void;
}

/** Page size and orientation, background image and fit, default font. */
export const PagePanel = ({ draft, design, background, fonts, disabled, uploading, canPickFromLibrary, onEdit, onEditDesign, onPickBackground, onUploadBackground, onRemoveBackground }: Props) => {
  const t = useT();
  const uploadInput = React.useRef<HTMLInputElement>(null);
  const designer = (draft.mode ?? 'designer') === 'designer';
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
      <Typography variant="delta" tag="h3">{t('designer.page', 'Page')}</Typography>
      <Grid.Root gap={3} paddingTop={3}>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField
            name="pageSize"
            label={t('designer.size', 'Size')}
            value={draft.pageSize ?? 'A4'}
            options={['A4', 'Letter', 'A5', ['custom', t('designer.custom', 'Custom (mm)')]]}
            disabled={disabled}
            onChange={(pageSize) => onEdit({ pageSize })}
          />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField
            name="orientation"
            label={t('designer.orientation', 'Orientation')}
            value={draft.orientation ?? 'landscape'}
            options={[['landscape', t('designer.landscape', 'Landscape')], ['portrait', t('designer.portrait', 'Portrait')]]}
            disabled={disabled || draft.pageSize === 'custom'}
            onChange={(orientation) => onEdit({ orientation })}
          />
        </Grid.Item>
        {draft.pageSize === 'custom' && (
          <>
            <Grid.Item col={6} direction="column" alignItems="stretch">
              <Field.Root name="widthMm">
                <Field.Label>{t('designer.width', 'Width (mm)')}</Field.Label>
                <NumberInput size="S" value={draft.widthMm ?? undefined} disabled={disabled} onValueChange={(n: number | undefined) => onEdit({ widthMm: n ?? null }, 'widthMm')} />
              </Field.Root>
            </Grid.Item>
            <Grid.Item col={6} direction="column" alignItems="stretch">
              <Field.Root name="heightMm">
                <Field.Label>{t('designer.height', 'Height (mm)')}</Field.Label>
                <NumberInput size="S" value={draft.heightMm ?? undefined} disabled={disabled} onValueChange={(n: number | undefined) => onEdit({ heightMm: n ?? null }, 'heightMm')} />
              </Field.Root>
            </Grid.Item>
          </>
        )}
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <Typography variant="pi" fontWeight="bold">{t('designer.background', 'Background image')}</Typography>
          <Flex gap={3} paddingTop={2} alignItems="center">
            <Flex
              width="9.6rem"
              height="6.4rem"
              hasRadius
              background="neutral150"
              justifyContent="center"
              shrink={0}
              style={{
                backgroundImage: background ? `url("${mediaUrl(background.url)}")` : undefined,
                backgroundSize: 'cover',
                backgroundPosition: 'center',
              }}
            >
              {!background && <ImageIcon fill="neutral400" />}
            </Flex>
            <Flex direction="column" alignItems="stretch" gap={1}>
              {canPickFromLibrary && (
                <Button size="S" variant="secondary" startIcon={<Images />} disabled={disabled} onClick={onPickBackground}>
                  {t('designer.library', 'Media library')}
                </Button>
              )}
              <Button size="S" variant="secondary" startIcon={<Upload />} disabled={disabled} loading={uploading} onClick={() => uploadInput.current?.click()}>
                {t('designer.upload', 'Upload')}
              </Button>
              {background && (
                <Button size="S" variant="tertiary" disabled={disabled} onClick={onRemoveBackground}>
                  {t('designer.removeBg', 'Remove')}
                </Button>
              )}
            </Flex>
            <input
              ref={uploadInput}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) onUploadBackground(file);
                e.target.value = '';
              }}
            />
          </Flex>
          <Typography variant="pi" textColor="neutral500" paddingTop={1} tag="p">
            {t('designer.bgHint', 'A JPEG renders about 3× faster than a PNG.')}
          </Typography>
        </Grid.Item>
        {designer && (
          <>
            <Grid.Item col={6} direction="column" alignItems="stretch">
              <SelectField
                name="bgfit"
                label={t('designer.fit', 'Background fit')}
                value={design.backgroundFit ?? 'cover'}
                options={[['cover', 'Cover'], ['contain', 'Contain'], ['stretch', 'Stretch']]}
                disabled={disabled}
                onChange={(backgroundFit) => onEditDesign({ backgroundFit })}
              />
            </Grid.Item>
            <Grid.Item col={6} direction="column" alignItems="stretch">
              <SelectField name="font" label={t('designer.font', 'Default font')} value={design.fontFamily ?? 'Inter'} options={fonts} disabled={disabled} onChange={(fontFamily) => onEditDesign({ fontFamily })} />
            </Grid.Item>
          </>
        )}
      </Grid.Root>
    </Box>
  );
};
