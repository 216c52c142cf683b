import * as React from 'react';
import { Box, Button, Checkbox, Flex, IconButton, IconButtonGroup, TextInput, Typography } from '@strapi/design-system';
import { ArrowClockwise, ArrowLeft, ArrowsCounterClockwise, Check, Code, FilePdf, Layout } from '@strapi/icons';

import type { TemplateMode } from '../../../shared/contracts/templates';
import { useT } from '../hooks/useT';

interface Props {
  name: string;
  isDefault: boolean;
  mode: TemplateMode;
  dirty: boolean;
  canDesign: boolean;
  canUndo: boolean;
  canRedo: boolean;
  saving: boolean;
  pdfLoading: boolean;
  onBack: () => void;
  onName: (name: string) => void;
  onDefault: (isDefault: boolean) => void;
  onMode: (mode: TemplateMode) => void;
  onUndo: () => void;
  onRedo: () => void;
  onPdf: () => void;
  onSave: () => void;
}

/** The designer's header: back, name, default flag, editing mode, undo/redo, PDF proof and save. */
export const Toolbar = (p: Props) => {
  const t = useT();
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
      <Flex gap={4} justifyContent="space-between" wrap="wrap">
        <Flex gap={3} grow={1}>
          <Button variant="tertiary" startIcon={<ArrowLeft />} onClick={p.onBack}>
            {t('designer.back', 'Templates')}
          </Button>
          <Box minWidth="28rem">
            <TextInput
              aria-label={t('designer.name', 'Template name')}
              value={p.name}
              disabled={!p.canDesign}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => p.onName(e.target.value)}
            />
          </Box>
          <Checkbox checked={p.isDefault} disabled={!p.canDesign} onCheckedChange={(c: boolean | 'indeterminate') => p.onDefault(c === true)}>
            {t('designer.default', 'Default template')}
          </Checkbox>
        </Flex>
        <Flex gap={2}>
          <Flex gap={0} hasRadius borderColor="neutral200" overflow="hidden" role="group" aria-label={t('designer.mode', 'Editing mode')}>
            {(['designer', 'html'] as const).map((m) => (
              <Button key={m} size="S" variant={p.mode === m ? 'secondary' : 'ghost'} startIcon={m === 'html' ? <Code /> : <Layout />} onClick={() => p.onMode(m)}>
                {m === 'html' ? t('designer.html', 'HTML/CSS') : t('designer.visual', 'Visual')}
              </Button>
            ))}
          </Flex>
          {p.canDesign && (
            <IconButtonGroup>
              <IconButton label={t('designer.undo', 'Undo (Ctrl+Z)')} disabled={!p.canUndo} onClick={p.onUndo}>
                <ArrowsCounterClockwise />
              </IconButton>
              <IconButton label={t('designer.redo', 'Redo (Ctrl+Shift+Z)')} disabled={!p.canRedo} onClick={p.onRedo}>
                <ArrowClockwise />
              </IconButton>
            </IconButtonGroup>
          )}
          {p.dirty && <Typography variant="pi" textColor="warning600">{t('designer.unsaved', 'Unsaved changes')}</Typography>}
          {p.canDesign && (
            <Button variant="secondary" startIcon={<FilePdf />} onClick={p.onPdf} loading={p.pdfLoading}>
              {t('designer.pdf', 'PDF proof')}
            </Button>
          )}
          {p.canDesign && (
            <Button startIcon={<Check />} onClick={p.onSave} loading={p.saving} disabled={!p.dirty || !p.name.trim()}>
              {t('common.save', 'Save')}
            </Button>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};
