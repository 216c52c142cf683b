import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  Loader,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, ArrowLeft, Check, Code, FilePdf, Image as ImageIcon, Images, Layout, Minus, Plus, Upload, User } from '@strapi/icons';
import { useStrapiApp } from '@strapi/strapi/admin';

import type { DesignDocument, DesignElement, FontFamily, TemplateInput } from '../../../shared/contracts/templates';
import { TEMPLATE_FIELDS } from '../../../shared/contracts/templates';
import type { RecordView } from '../../../shared/contracts/records';
import { mediaUrl, saveBlob, useCertifyApi, type MediaFile, type TemplateView } from '../api/client';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { useNotify } from '../hooks/useNotify';
import { useT } from '../hooks/useT';
import { slugify } from '../utils/format';
import { clampElement, newElementId, pageSizeMm } from './geometry';
import { Inspector } from './Inspector';
import { PageCanvas } from './PageCanvas';
import { RulesEditor } from './RulesEditor';
import { DEFAULT_CSS, DEFAULT_HTML } from './starters';
import { usePreview } from './usePreview';

const BUILTIN_FONTS = ['Inter', 'EB Garamond', 'Playfair Display', 'Great Vibes', 'Oswald', 'JetBrains Mono', 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans SC', 'Noto Sans Devanagari', 'Noto Sans Thai'];

const EMPTY_DESIGN: DesignDocument = { version: 1, fontFamily: 'Inter', elements: [] };

type MediaDialogProps = { allowedTypes?: string[]; multiple?: boolean; onClose: () => void; onSelectAssets: (files: MediaFile[]) => void };

interface Props {
  eventId: string;
  eventName: string;
  eventDate?: string | null;
  eventLocation?: string | null;
  template: TemplateView;
  canDesign: boolean;
  onClose: () => void;
  onSaved: (template: TemplateView) => void;
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
 * selected element, and a live preview rendered by the server from the unsaved draft.
 */
export const TemplateDesigner = ({ eventId, eventName, eventDate, eventLocation, template, canDesign, onClose, onSaved }: Props) => {
  const eventInfo = React.useMemo(() => ({ name: eventName, date: eventDate ?? null, location: eventLocation ?? null }), [eventName, eventDate, eventLocation]);
  const api = useCertifyApi();
  const notify = useNotify();
  const t = useT();
  const [draft, setDraft] = React.useState<TemplateInput>(() => toDraft(template));
  const [saved, setSaved] = React.useState<string>(() => JSON.stringify(toDraft(template)));
  const [background, setBackground] = React.useState<MediaFile | null>(template.background ?? null);
  const [selectedId, setSelectedId] = React.useState<string | null>(null);
  const [saving, setSaving] = React.useState(false);
  const [leaving, setLeaving] = React.useState(false);
  const [mediaOpen, setMediaOpen] = React.useState<null | 'background' | 'image'>(null);
  const [imageUrls, setImageUrls] = React.useState<Record<string, string>>({});
  const [fontList, setFontList] = React.useState<FontFamily[]>([]);
  const fonts = React.useMemo(() => (fontList.length ? fontList.map((f) => f.family) : BUILTIN_FONTS), [fontList]);
  const fontCategories = React.useMemo(() => Object.fromEntries(fontList.map((f) => [f.family, f.category])), [fontList]);
  const [sample, setSample] = React.useState<{ id?: string; data: Record<string, unknown> }>({
    data: { name: 'Eleni Papadopoulou', bib: '1001', finishTime: '3:12:45', category: 'F35-44', rankOverall: 128, event: eventInfo },
  });
  const uploadInput = React.useRef<HTMLInputElement>(null);
  const MediaLibraryDialog = useStrapiApp('CertifyDesigner', (s) => s.components['media-library']) as
    | React.ComponentType<MediaDialogProps>
    | undefined;

  const design = draft.design ?? EMPTY_DESIGN;
  const mode = draft.mode ?? 'designer';
  const pageMm = pageSizeMm(draft);
  const dirty = JSON.stringify(draft) !== saved;
  const selected = design.elements.find((e) => e.id === selectedId) ?? null;

  React.useEffect(() => {
    api.listFonts()
      .then((list: FontFamily[]) => {
        if (Array.isArray(list) && list.length) setFontList(list);
      })
      .catch(() => undefined);
    api.listRecords(eventId, { pageSize: 10, sort: 'bib:asc' })
      .then((res) => {
        // A finisher with a time and a rank shows every field of a typical design.
        const r = res.data?.find((x) => x.finishTime && x.rankOverall) ?? res.data?.[0];
        if (r) showRecord(r);
      })
      .catch(() => undefined);
  }, [api, eventId, eventInfo]);

  const [previewBib, setPreviewBib] = React.useState('');
  const showRecord = React.useCallback(
    (r: RecordView) =>
      setSample({ id: r.documentId, data: { ...r, extra: r.extra ?? {}, event: eventInfo, certificate: { code: r.verificationCode } } }),
    [eventInfo]
  );
  const previewFor = async () => {
    const bib = previewBib.trim();
    if (!bib) return;
    try {
      const res = await api.listRecords(eventId, { search: bib, pageSize: 5 });
      const r = res.data.find((x) => x.bib === bib) ?? res.data[0];
      if (r) showRecord(r);
      else notify.info(t('designer.noRecord', 'No record matches "{bib}".', { bib }));
    } catch (err) {
      notify.error(err);
    }
  };

  const fields = React.useMemo(() => {
    const base = TEMPLATE_FIELDS.filter((f) => !['extra', 'event', 'certificate'].includes(f)) as string[];
    const extra = Object.keys((sample.data.extra as Record<string, unknown>) ?? {}).map((k) => `extra.${k}`);
    return [...base, 'event.name', 'event.date', 'certificate.code', ...extra];
  }, [sample]);

  const preview = usePreview(eventId, template.documentId, draft, sample.id);

  const setDesign = React.useCallback((fn: (d: DesignDocument) => DesignDocument) => {
    setDraft((d) => ({ ...d, design: fn(d.design ?? EMPTY_DESIGN) }));
  }, []);

  const updateElement = React.useCallback(
    (id: string, patch: Partial<DesignElement>) =>
      setDesign((d) => ({ ...d, elements: d.elements.map((e) => (e.id === id ? ({ ...e, ...patch } as DesignElement) : e)) })),
    [setDesign]
  );

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

  // Arrow keys nudge the selected element (Shift: 5 mm), Delete removes it, Escape deselects.
  React.useEffect(() => {
    if (!selectedId || mode !== 'designer') return undefined;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable || target.closest('[role="dialog"],[role="listbox"]'))) return;
      const step = e.shiftKey ? 5 : 0.5;
      const el = design.elements.find((x) => x.id === selectedId);
      if (!el) return;
      const moves: Record<string, Partial<DesignElement>> = {
        ArrowLeft: { x: el.x - step },
        ArrowRight: { x: el.x + step },
        ArrowUp: { y: el.y - step },
        ArrowDown: { y: el.y + step },
      };
      if (e.key === 'Escape') {
        setSelectedId(null);
      } else if (canDesign && moves[e.key]) {
        e.preventDefault();
        updateElement(selectedId, moves[e.key]);
      } else if (canDesign && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        setDesign((d) => ({ ...d, elements: d.elements.filter((x) => x.id !== selectedId) }));
        setSelectedId(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId, mode, design.elements, canDesign, updateElement, setDesign]);

  const addElement = (type: DesignElement['type'], shape?: 'rect' | 'line') => {
    const id = newElementId(type === 'shape' ? shape ?? 'shape' : type, design.elements);
    const [pw, ph] = pageMm;
    const common = { id, x: pw / 2 - 40, y: ph / 2 - 8, width: 80, height: 14, z: design.elements.length };
    const el: DesignElement =
      type === 'text'
        ? { ...common, type, field: 'name', fontSize: 24, align: 'center', color: '#111827' }
        : type === 'qr'
          ? { ...common, type, width: 28, height: 28 }
          : type === 'photo'
            ? { ...common, type, width: 40, height: 40, fit: 'cover', borderRadius: 4 }
            : { ...common, type: 'shape', shape: shape ?? 'rect', height: shape === 'line' ? 2 : 20, stroke: '#1f2937', strokeWidth: 0.5 };
    setDesign((d) => ({ ...d, elements: [...d.elements, clampElement(el, pageMm)] }));
    setSelectedId(id);
  };

  const addImage = (file: MediaFile | undefined) => {
    if (!file) return;
    const id = newElementId('image', design.elements);
    const [pw, ph] = pageMm;
    const ratio = file.width && file.height ? file.height / file.width : 1;
    const width = 40;
    const el: DesignElement = { id, type: 'image', fileId: file.id, fit: 'contain', x: pw / 2 - width / 2, y: ph / 2 - (width * ratio) / 2, width, height: Math.round(width * ratio * 2) / 2, z: design.elements.length };
    const url = mediaUrl(file.url);
    if (url) setImageUrls((m) => ({ ...m, [String(file.id)]: url }));
    setDesign((d) => ({ ...d, elements: [...d.elements, el] }));
    setSelectedId(id);
  };

  // Image elements store only a media id; look up their URLs once for the canvas.
  React.useEffect(() => {
    const missing = design.elements.filter((e) => e.type === 'image' && !imageUrls[String(e.fileId)]);
    for (const e of missing) {
      if (e.type !== 'image') continue;
      api
        .getMedia(e.fileId)
        .then((f) => {
          const url = mediaUrl(f.url);
          if (url) setImageUrls((m) => ({ ...m, [String(e.fileId)]: url }));
        })
        .catch(() => undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, design.elements]);

  const save = async () => {
    setSaving(true);
    try {
      const result = await api.updateTemplate(eventId, template.documentId, draft);
      setSaved(JSON.stringify(draft));
      notify.success(t('designer.saved', 'Template "{name}" saved.', { name: draft.name }));
      onSaved(result);
    } catch (err) {
      notify.error(err, t('designer.saveFailed', 'The template was not saved'));
    } finally {
      setSaving(false);
    }
  };

  const openPdf = async () => {
    try {
      const blob = await api.previewTemplate(eventId, template.documentId, { template: draft, recordId: sample.id, format: 'pdf' });
      saveBlob(blob, `${slugify(draft.name)}-preview.pdf`);
    } catch (err) {
      notify.error(err, t('designer.pdfFailed', 'The PDF preview failed'));
    }
  };

  const pickBackground = (file: MediaFile | undefined) => {
    if (!file) return;
    setBackground(file);
    setDraft((d) => ({ ...d, background: file.id }));
  };

  const uploadBackground = async (file: File | undefined) => {
    if (!file) return;
    try {
      pickBackground(await api.uploadMedia(file));
      notify.success(t('designer.uploaded', 'Background uploaded to the media library.'));
    } catch (err) {
      notify.error(err, t('designer.uploadFailed', 'The image was not uploaded'));
    }
  };

  const switchMode = (m: 'designer' | 'html') =>
    setDraft((d) => ({
      ...d,
      mode: m,
      html: d.html ?? (m === 'html' ? DEFAULT_HTML : d.html),
      css: d.css ?? (m === 'html' ? DEFAULT_CSS : d.css),
    }));

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
        <Flex gap={4} justifyContent="space-between" wrap="wrap">
          <Flex gap={3} grow={1}>
            <Button variant="tertiary" startIcon={<ArrowLeft />} onClick={() => (dirty ? setLeaving(true) : onClose())}>
              {t('designer.back', 'Templates')}
            </Button>
            <Box minWidth="28rem">
              <TextInput
                aria-label={t('designer.name', 'Template name')}
                value={draft.name}
                disabled={!canDesign}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, name: e.target.value }))}
              />
            </Box>
            <Checkbox
              checked={Boolean(draft.isDefault)}
              disabled={!canDesign}
              onCheckedChange={(c: boolean | 'indeterminate') => setDraft((d) => ({ ...d, isDefault: c === true }))}
            >
              {t('designer.default', 'Default template')}
            </Checkbox>
          </Flex>
          <Flex gap={2}>
            <Flex gap={0} hasRadius borderColor="neutral200" overflow="hidden">
              {(['designer', 'html'] as const).map((m) => (
                <Button
                  key={m}
                  size="S"
                  variant={mode === m ? 'secondary' : 'ghost'}
                  startIcon={m === 'html' ? <Code /> : <Layout />}
                  onClick={() => switchMode(m)}
                >
                  {m === 'html' ? t('designer.html', 'HTML/CSS') : t('designer.visual', 'Visual')}
                </Button>
              ))}
            </Flex>
            {dirty && <Typography variant="pi" textColor="warning600">{t('designer.unsaved', 'Unsaved changes')}</Typography>}
            <Button variant="secondary" startIcon={<FilePdf />} onClick={openPdf}>{t('designer.pdf', 'PDF proof')}</Button>
            {canDesign && (
              <Button startIcon={<Check />} onClick={save} loading={saving} disabled={!dirty || !draft.name.trim()}>
                {t('common.save', 'Save')}
              </Button>
            )}
          </Flex>
        </Flex>
      </Box>


      <Grid.Root gap={4}>
        <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
          {mode === 'designer' ? (
            // The page stays in view while the inspector beside it scrolls.
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} position="sticky" top={4} zIndex={1}>
              <Flex gap={2} paddingBottom={4} wrap="wrap">
                <Typography variant="sigma" textColor="neutral600">{t('designer.add', 'Add')}</Typography>
                <Button size="S" variant="secondary" startIcon={<Plus />} disabled={!canDesign} onClick={() => addElement('text')}>Text</Button>
                <Button size="S" variant="secondary" startIcon={<Layout />} disabled={!canDesign} onClick={() => addElement('qr')}>QR code</Button>
                <Button size="S" variant="secondary" startIcon={<User />} disabled={!canDesign} onClick={() => addElement('photo')}>Photo</Button>
                {MediaLibraryDialog && (
                  <Button size="S" variant="secondary" startIcon={<ImageIcon />} disabled={!canDesign} onClick={() => setMediaOpen('image')}>Image</Button>
                )}
                <Button size="S" variant="secondary" startIcon={<Plus />} disabled={!canDesign} onClick={() => addElement('shape', 'rect')}>Box</Button>
                <Button size="S" variant="secondary" startIcon={<Minus />} disabled={!canDesign} onClick={() => addElement('shape', 'line')}>Line</Button>
                <Box grow={1} />
                <Typography variant="pi" textColor="neutral500">{`${pageMm[0]} × ${pageMm[1]} mm`}</Typography>
              </Flex>
              <Box background="neutral100" padding={4} hasRadius>
                <PageCanvas
                  design={design}
                  pageMm={pageMm}
                  backgroundUrl={mediaUrl(background?.url)}
                  selectedId={selectedId}
                  onSelect={setSelectedId}
                  onChange={canDesign ? updateElement : () => undefined}
                  sample={sample.data}
                  fontCategories={fontCategories}
                  imageUrls={imageUrls}
                />
              </Box>
              <Typography variant="pi" textColor="neutral500" paddingTop={2} tag="p">
                {t('designer.canvasHint', 'Drag to move, drag the corner to resize, arrow keys to nudge (Shift: 5 mm). The canvas approximates fonts; the live preview is the real render.')}
              </Typography>
            </Box>
          ) : (
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
                    value={draft.html ?? ''}
                    disabled={!canDesign}
                    style={{ fontFamily: 'monospace', minHeight: '28rem' }}
                    onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setDraft((d) => ({ ...d, html: e.target.value }))}
                  />
                </Field.Root>
                <Field.Root name="css">
                  <Field.Label>CSS</Field.Label>
                  <Textarea
                    value={draft.css ?? ''}
                    disabled={!canDesign}
                    style={{ fontFamily: 'monospace', minHeight: '20rem' }}
                    onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setDraft((d) => ({ ...d, css: e.target.value }))}
                  />
                </Field.Root>
              </Flex>
            </Box>
          )}
        </Grid.Item>

        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <Flex direction="column" alignItems="stretch" gap={4} width="100%">
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
              <Flex justifyContent="space-between" paddingBottom={3}>
                <Typography variant="delta" tag="h3">{t('designer.preview', 'Live preview')}</Typography>
                <Flex gap={2}>
                  {preview.loading && <Loader small>{t('designer.rendering', 'Rendering')}</Loader>}
                  <Button size="S" variant="tertiary" startIcon={<ArrowClockwise />} onClick={preview.refresh}>
                    {t('designer.refresh', 'Refresh')}
                  </Button>
                </Flex>
              </Flex>
              <Box background="neutral100" hasRadius padding={2} minHeight="12rem">
                {preview.error ? (
                  <Box padding={3}>
                    <Typography variant="pi" textColor="danger600">{preview.error}</Typography>
                  </Box>
                ) : preview.url ? (
                  <img src={preview.url} alt={t('designer.previewAlt', 'Rendered certificate')} style={{ width: '100%', display: 'block', borderRadius: 4 }} />
                ) : (
                  <Flex justifyContent="center" padding={6}><Loader small>{t('designer.rendering', 'Rendering')}</Loader></Flex>
                )}
              </Box>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void previewFor();
                }}
              >
                <Flex gap={2} paddingTop={3}>
                  <Box grow={1}>
                    <TextInput
                      size="S"
                      aria-label={t('designer.previewBib', 'Preview for bib or name')}
                      placeholder={t('designer.previewBib', 'Preview for bib or name')}
                      value={previewBib}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPreviewBib(e.target.value)}
                    />
                  </Box>
                  <Button size="S" variant="secondary" type="submit">{t('designer.show', 'Show')}</Button>
                </Flex>
              </form>
              <Typography variant="pi" textColor="neutral500" paddingTop={2} tag="p">
                {sample.id
                  ? t('designer.sampleRecord', 'Rendered for {name} (bib {bib}).', { name: String(sample.data.name ?? ''), bib: String(sample.data.bib ?? '') })
                  : t('designer.sampleNone', 'Rendered for a sample participant.')}
              </Typography>
            </Box>

            {mode === 'designer' && (
              <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
                <Typography variant="delta" tag="h3">
                  {selected ? t('designer.element', 'Selected element') : t('designer.elements', 'Elements')}
                </Typography>
                <Box paddingTop={3}>
                  {selected ? (
                    <Flex direction="column" alignItems="stretch" gap={3}>
                      <Inspector
                        element={selected}
                        fields={fields}
                        fonts={fonts}
                        disabled={!canDesign}
                        onChange={(patch) => updateElement(selected.id, patch)}
                        onDelete={() => {
                          setDesign((d) => ({ ...d, elements: d.elements.filter((e) => e.id !== selected.id) }));
                          setSelectedId(null);
                        }}
                      />
                      <Button variant="tertiary" size="S" onClick={() => setSelectedId(null)}>{t('designer.done', 'Done')}</Button>
                    </Flex>
                  ) : design.elements.length === 0 ? (
                    <Typography variant="pi" textColor="neutral600">{t('designer.noElements', 'Add text, a QR code or a photo to the page.')}</Typography>
                  ) : (
                    <Flex direction="column" alignItems="stretch" gap={1}>
                      {design.elements.map((el) => (
                        <Box
                          key={el.id}
                          padding={2}
                          hasRadius
                          background="neutral100"
                          style={{ cursor: 'pointer' }}
                          onClick={() => setSelectedId(el.id)}
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
            )}

            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
              <Typography variant="delta" tag="h3">{t('designer.page', 'Page')}</Typography>
              <Grid.Root gap={3} paddingTop={3}>
                <Grid.Item col={6} direction="column" alignItems="stretch">
                  <Field.Root name="pageSize">
                    <Field.Label>{t('designer.size', 'Size')}</Field.Label>
                    <SingleSelect size="S" value={draft.pageSize ?? 'A4'} disabled={!canDesign} onChange={(v: string | number) => setDraft((d) => ({ ...d, pageSize: v as TemplateInput['pageSize'] }))}>
                      <SingleSelectOption value="A4">A4</SingleSelectOption>
                      <SingleSelectOption value="Letter">Letter</SingleSelectOption>
                      <SingleSelectOption value="A5">A5</SingleSelectOption>
                      <SingleSelectOption value="custom">{t('designer.custom', 'Custom (mm)')}</SingleSelectOption>
                    </SingleSelect>
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} direction="column" alignItems="stretch">
                  <Field.Root name="orientation">
                    <Field.Label>{t('designer.orientation', 'Orientation')}</Field.Label>
                    <SingleSelect size="S" value={draft.orientation ?? 'landscape'} disabled={!canDesign || draft.pageSize === 'custom'} onChange={(v: string | number) => setDraft((d) => ({ ...d, orientation: v as TemplateInput['orientation'] }))}>
                      <SingleSelectOption value="landscape">{t('designer.landscape', 'Landscape')}</SingleSelectOption>
                      <SingleSelectOption value="portrait">{t('designer.portrait', 'Portrait')}</SingleSelectOption>
                    </SingleSelect>
                  </Field.Root>
                </Grid.Item>
                {draft.pageSize === 'custom' && (
                  <>
                    <Grid.Item col={6} direction="column" alignItems="stretch">
                      <Field.Root name="widthMm">
                        <Field.Label>{t('designer.width', 'Width (mm)')}</Field.Label>
                        <NumberInput size="S" value={draft.widthMm ?? undefined} onValueChange={(n: number | undefined) => setDraft((d) => ({ ...d, widthMm: n ?? null }))} />
                      </Field.Root>
                    </Grid.Item>
                    <Grid.Item col={6} direction="column" alignItems="stretch">
                      <Field.Root name="heightMm">
                        <Field.Label>{t('designer.height', 'Height (mm)')}</Field.Label>
                        <NumberInput size="S" value={draft.heightMm ?? undefined} onValueChange={(n: number | undefined) => setDraft((d) => ({ ...d, heightMm: n ?? null }))} />
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
                      {MediaLibraryDialog && (
                        <Button size="S" variant="secondary" startIcon={<Images />} disabled={!canDesign} onClick={() => setMediaOpen('background')}>
                          {t('designer.library', 'Media library')}
                        </Button>
                      )}
                      <Button size="S" variant="secondary" startIcon={<Upload />} disabled={!canDesign} onClick={() => uploadInput.current?.click()}>
                        {t('designer.upload', 'Upload')}
                      </Button>
                      {background && (
                        <Button size="S" variant="tertiary" disabled={!canDesign} onClick={() => { setBackground(null); setDraft((d) => ({ ...d, background: null })); }}>
                          {t('designer.removeBg', 'Remove')}
                        </Button>
                      )}
                    </Flex>
                    <input ref={uploadInput} type="file" accept="image/jpeg,image/png,image/webp" hidden onChange={(e) => { void uploadBackground(e.target.files?.[0]); e.target.value = ''; }} />
                  </Flex>
                  <Typography variant="pi" textColor="neutral500" paddingTop={1} tag="p">
                    {t('designer.bgHint', 'A JPEG renders about 3× faster than a PNG.')}
                  </Typography>
                </Grid.Item>
                {mode === 'designer' && (
                  <>
                    <Grid.Item col={6} direction="column" alignItems="stretch">
                      <Field.Root name="bgfit">
                        <Field.Label>{t('designer.fit', 'Background fit')}</Field.Label>
                        <SingleSelect size="S" value={design.backgroundFit ?? 'cover'} disabled={!canDesign} onChange={(v: string | number) => setDesign((d) => ({ ...d, backgroundFit: v as DesignDocument['backgroundFit'] }))}>
                          <SingleSelectOption value="cover">Cover</SingleSelectOption>
                          <SingleSelectOption value="contain">Contain</SingleSelectOption>
                          <SingleSelectOption value="stretch">Stretch</SingleSelectOption>
                        </SingleSelect>
                      </Field.Root>
                    </Grid.Item>
                    <Grid.Item col={6} direction="column" alignItems="stretch">
                      <Field.Root name="font">
                        <Field.Label>{t('designer.font', 'Default font')}</Field.Label>
                        <SingleSelect size="S" value={design.fontFamily ?? 'Inter'} disabled={!canDesign} onChange={(v: string | number) => setDesign((d) => ({ ...d, fontFamily: String(v) }))}>
                          {fonts.map((f) => (
                            <SingleSelectOption key={f} value={f}>{f}</SingleSelectOption>
                          ))}
                        </SingleSelect>
                      </Field.Root>
                    </Grid.Item>
                  </>
                )}
              </Grid.Root>
            </Box>
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
              <Typography variant="delta" tag="h3">{t('designer.rules', 'When to use this template')}</Typography>
              <Box paddingTop={3}>
                <RulesEditor
                  rules={draft.rules}
                  priority={draft.priority ?? 0}
                  fields={fields}
                  disabled={!canDesign}
                  onChange={(rules, priority) => setDraft((d) => ({ ...d, rules, priority }))}
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
            if (mediaOpen === 'image') addImage(files[0]);
            else pickBackground(files[0]);
            setMediaOpen(null);
          }}
        />
      )}
    </Flex>
  );
};
