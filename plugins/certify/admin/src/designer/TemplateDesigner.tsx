import * as React from 'react';
import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { useStrapiApp } from '@strapi/strapi/admin';

import type { DesignDocument, DesignElement, TemplateInput, TemplateMode } from '../../../shared/contracts/templates';
import { TEMPLATE_FIELDS } from '../../../shared/contracts/templates';
import { BUILTIN_FAMILY_NAMES } from '../../../shared/text';
import { useMediaFileQuery, useUploadMediaMutation } from '../api/media';
import { useFontsQuery, useTemplatePdfMutation, useUpdateTemplateMutation } from '../api/templates';
import { mediaUrl, type MediaFile, type TemplateView } from '../api/client';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';
import { slugify } from '../utils/format';
import { ElementToolbar } from './ElementToolbar';
import { newElement, newImageElement, type NewElementKind } from './elements';
import { pageSizeMm } from './geometry';
import { HtmlPanel } from './HtmlPanel';
import { PageCanvas } from './PageCanvas';
import { PagePanel } from './PagePanel';
import { PreviewPanel } from './PreviewPanel';
import { RulesEditor } from './RulesEditor';
import { SelectionPanel } from './SelectionPanel';
import { DEFAULT_CSS, DEFAULT_HTML } from './starters';
import { designerReducer, designOf, EMPTY_DESIGN, initDesigner, isDirty, selectedElements, type Edge } from './state';
import { Toolbar } from './Toolbar';
import { useDesignerKeys } from './useDesignerKeys';
import { useCanvasTexts } from './useCanvasTexts';
import { useSampleRecord } from './useSampleRecord';


type MediaDialogProps = { allowedTypes?: string[]; multiple?: boolean; onClose: () => void; onSelectAssets: (files: MediaFile[]) => void };

interface Props {
  eventId: string;
  eventName: string;
  eventDate?: string | null;
  eventLocation?: string | null;
  template: TemplateView;
  canDesign: boolean;
  onClose: () => void;
}

const toDraft = (tpl: TemplateView): TemplateInput => ({
  name: tpl.name,
  purpose: tpl.purpose ?? 'finisher',
  pageSize: tpl.pageSize ?? 'A4',
  orientation: tpl.orientation ?? 'landscape',
  widthMm: tpl.widthMm ?? null,
  heightMm: tpl.heightMm ?? null,
  background: tpl.background?.id ?? null,
  mode: tpl.mode ?? 'designer',
  design: (tpl.design as DesignDocument | null | undefined) ?? EMPTY_DESIGN,
  html: tpl.html ?? null,
  css: tpl.css ?? null,
  rules: tpl.rules ?? null,
  priority: tpl.priority ?? 0,
  isDefault: tpl.isDefault ?? false,
});

/**
 * The certificate designer: a scaled page where elements are placed in mm, an inspector for the
 * selection, and a live preview rendered by the server from the unsaved draft. Every edit goes
 * through `designerReducer` (state.ts); the parts below only draw it and dispatch.
 */
export const TemplateDesigner = ({ eventId, eventName, eventDate, eventLocation, template, canDesign, onClose }: Props) => {
  const t = useT();
  const notify = useNotify();
  const [state, dispatch] = React.useReducer(designerReducer, template, (tpl) => initDesigner(toDraft(tpl)));
  const [leaving, setLeaving] = React.useState(false);
  // What the media library dialog picks: the background, a new image element, or a photo element's placeholder.
  const [mediaOpen, setMediaOpen] = React.useState<null | 'background' | 'image' | { placeholderFor: string }>(null);

  const eventInfo = React.useMemo(() => ({ name: eventName, date: eventDate ?? null, location: eventLocation ?? null }), [eventName, eventDate, eventLocation]);
  const { sample, showBib } = useSampleRecord(eventId, eventInfo);
  const fontList = useFontsQuery().data ?? [];
  const background = useMediaFileQuery(state.draft.background ?? 0, { skip: !state.draft.background }).data ?? null;
  const [updateTemplate, saving] = useUpdateTemplateMutation();
  const [renderPdf, pdf] = useTemplatePdfMutation();
  const [uploadMedia, uploading] = useUploadMediaMutation();
  const MediaLibraryDialog = useStrapiApp('CertifyDesigner', (s) => s.components['media-library']) as
    | React.ComponentType<MediaDialogProps>
    | undefined;

  const { draft } = state;
  const design = designOf(draft);
  const mode: TemplateMode = draft.mode ?? 'designer';
  const pageMm = pageSizeMm(draft);
  const dirty = isDirty(state);
  const selected = selectedElements(state);
  const fonts = fontList.length ? fontList.map((f) => f.family) : BUILTIN_FAMILY_NAMES;
  const texts = useCanvasTexts({ eventId, templateId: template.documentId, design, recordId: sample.id, canDesign });

  const fields = React.useMemo(() => {
    const base = TEMPLATE_FIELDS.filter((f) => !['extra', 'event', 'certificate', 'splits'].includes(f)) as string[];
    const extra = Object.keys((sample.data.extra as Record<string, unknown>) ?? {}).map((k) => `extra.${k}`);
    const splits = Object.keys((sample.data.splits as Record<string, unknown>) ?? {}).map((k) => `splits.${k}`);
    return [...base, 'event.name', 'event.date', 'certificate.code', ...splits, ...extra];
  }, [sample]);

  useDesignerKeys(dispatch, { canEdit: canDesign, hasSelection: mode === 'designer' && selected.length > 0 });

  // Closing the tab with unsaved edits asks first; the browser words the question.
  React.useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const edit = (patch: Partial<TemplateInput>, key?: string) => dispatch({ type: 'edit', patch, key });
  const onDragStart = React.useCallback((id: string, dragMode: 'move' | 'resize') => dispatch({ type: 'dragStart', id, mode: dragMode }), []);
  const onDrag = React.useCallback((dx: number, dy: number, snapMm: number) => dispatch({ type: 'dragTo', dx, dy, snapMm }), []);
  const onDragEnd = React.useCallback(() => dispatch({ type: 'dragEnd' }), []);
  const onSelect = React.useCallback((id: string | null, additive?: boolean) => dispatch({ type: 'select', id, additive }), []);
  const onChangeElement = React.useCallback((id: string, patch: Partial<DesignElement>) => dispatch({ type: 'update', id, patch }), []);

  const save = async () => {
    try {
      await updateTemplate({ eventId, id: template.documentId, data: draft }).unwrap();
      dispatch({ type: 'saved', draft });
      notify.success(t('designer.saved', 'Template "{name}" saved.', { name: draft.name }));
    } catch (err) {
      notify.error(err, t('designer.saveFailed', 'The template was not saved'));
    }
  };

  const openPdf = async () => {
    try {
      await renderPdf({ eventId, templateId: template.documentId, template: draft, recordId: sample.id, filename: `${slugify(draft.name)}-preview.pdf` }).unwrap();
    } catch (err) {
      notify.error(err, t('designer.pdfFailed', 'The PDF preview failed'));
    }
  };

  const uploadBackground = async (file: File) => {
    try {
      const uploaded = await uploadMedia(file).unwrap();
      edit({ background: uploaded.id });
      notify.success(t('designer.uploaded', 'Background uploaded to the media library.'));
    } catch (err) {
      notify.error(err, t('designer.uploadFailed', 'The image was not uploaded'));
    }
  };

  const uploadPlaceholder = async (id: string, file: File) => {
    try {
      const uploaded = await uploadMedia(file).unwrap();
      onChangeElement(id, { placeholderFileId: uploaded.id });
    } catch (err) {
      notify.error(err, t('designer.uploadFailed', 'The image was not uploaded'));
    }
  };
  const placeholderMedia = (id: string) => ({
    canPick: Boolean(MediaLibraryDialog),
    uploading: uploading.isLoading,
    onPick: () => setMediaOpen({ placeholderFor: id }),
    onUpload: (file: File) => void uploadPlaceholder(id, file),
  });

  const switchMode = (m: TemplateMode) =>
    edit({
      mode: m,
      html: draft.html ?? (m === 'html' ? DEFAULT_HTML : draft.html),
      css: draft.css ?? (m === 'html' ? DEFAULT_CSS : draft.css),
    });

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Toolbar
        name={draft.name}
        isDefault={Boolean(draft.isDefault)}
        mode={mode}
        dirty={dirty}
        canDesign={canDesign}
        canUndo={state.past.length > 0}
        canRedo={state.future.length > 0}
        saving={saving.isLoading}
        pdfLoading={pdf.isLoading}
        onBack={() => (dirty ? setLeaving(true) : onClose())}
        onName={(name) => edit({ name }, 'name')}
        onDefault={(isDefault) => edit({ isDefault })}
        onMode={switchMode}
        onUndo={() => dispatch({ type: 'undo' })}
        onRedo={() => dispatch({ type: 'redo' })}
        onPdf={openPdf}
        onSave={save}
      />

      <Grid.Root gap={4}>
        <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
          {mode === 'designer' ? (
            // The page stays in view while the inspector beside it scrolls.
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} position="sticky" top={4} zIndex={1}>
              <ElementToolbar
                pageMm={pageMm}
                selected={selected.length}
                disabled={!canDesign}
                canPickImage={Boolean(MediaLibraryDialog)}
                onAdd={(kind: NewElementKind) => dispatch({ type: 'add', element: newElement(kind, pageMm, design.elements) })}
                onPickImage={() => setMediaOpen('image')}
                onAlign={(edge: Edge) => dispatch({ type: 'align', edge })}
                onCentre={() => dispatch({ type: 'centre' })}
              />
              <Box background="neutral100" padding={4} hasRadius>
                <PageCanvas
                  design={design}
                  pageMm={pageMm}
                  backgroundUrl={mediaUrl(background?.url)}
                  selection={state.selection}
                  guides={state.guides}
                  disabled={!canDesign}
                  onSelect={onSelect}
                  onDragStart={onDragStart}
                  onDrag={onDrag}
                  onDragEnd={onDragEnd}
                  texts={texts}
                />
              </Box>
              <Typography variant="pi" textColor="neutral500" paddingTop={2} tag="p">
                {t('designer.canvasHint', 'Drag to move (edges snap to the page and other elements; hold Alt to place freely), drag the corner to resize, Shift+click to select several, arrow keys to nudge (Shift: 5 mm), Ctrl+Z to undo. Text shows what the certificate prints for the preview’s participant, in its fonts; the live preview also shows shrink-to-fit and the QR code.')}
              </Typography>
            </Box>
          ) : (
            <HtmlPanel
              html={draft.html ?? ''}
              css={draft.css ?? ''}
              disabled={!canDesign}
              onHtml={(html) => edit({ html }, 'html')}
              onCss={(css) => edit({ css }, 'css')}
            />
          )}
        </Grid.Item>

        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Flex direction="column" alignItems="stretch" gap={4} width="100%">
            {/* A preview renders the draft: a design action the server refuses to read-only roles. */}
            {canDesign && <PreviewPanel eventId={eventId} templateId={template.documentId} draft={draft} sample={sample} onShowBib={showBib} />}
            {mode === 'designer' && (
              <SelectionPanel
                elements={design.elements}
                selected={selected}
                fields={fields}
                fonts={fonts}
                disabled={!canDesign}
                onSelect={onSelect}
                onChange={onChangeElement}
                onRemove={() => dispatch({ type: 'remove' })}
                placeholderMedia={placeholderMedia}
              />
            )}
            <PagePanel
              draft={draft}
              design={design}
              background={background}
              fonts={fonts}
              disabled={!canDesign}
              uploading={uploading.isLoading}
              canPickFromLibrary={Boolean(MediaLibraryDialog)}
              onEdit={edit}
              onEditDesign={(patch) => dispatch({ type: 'editDesign', patch })}
              onPickBackground={() => setMediaOpen('background')}
              onUploadBackground={uploadBackground}
              onRemoveBackground={() => edit({ background: null })}
            />
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
              <Typography variant="delta" tag="h3">{t('designer.rules', 'When to use this template')}</Typography>
              <Box paddingTop={3}>
                <RulesEditor
                  rules={draft.rules}
                  priority={draft.priority ?? 0}
                  fields={fields}
                  disabled={!canDesign}
                  onChange={(rules, priority) => edit({ rules, priority }, 'rules')}
                />
              </Box>
            </Box>
          </Flex>
        </Grid.Item>
      </Grid.Root>

      <ConfirmDelete
        open={leaving}
        title={t('designer.leaveTitle', 'Discard your changes?')}
        body={t('designer.leaveText', 'The template "{name}" has unsaved changes. Leave without saving them?', { name: draft.name })}
        confirmLabel={t('designer.discard', 'Discard changes')}
        onConfirm={onClose}
        onClose={() => setLeaving(false)}
      />
      {mediaOpen && MediaLibraryDialog && (
        <MediaLibraryDialog
          allowedTypes={['images']}
          multiple={false}
          onClose={() => setMediaOpen(null)}
          onSelectAssets={(files) => {
            const [file] = files;
            if (file && mediaOpen === 'image') dispatch({ type: 'add', element: newImageElement(file, pageMm, design.elements) });
            else if (file && typeof mediaOpen === 'object') onChangeElement(mediaOpen.placeholderFor, { placeholderFileId: file.id });
            else if (file) edit({ background: file.id });
            setMediaOpen(null);
          }}
        />
      )}
    </Flex>
  );
};
