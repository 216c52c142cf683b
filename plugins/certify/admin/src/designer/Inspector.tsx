import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  NumberInput,
  Radio,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Images, Trash, Upload } from '@strapi/icons';

import type { DesignElement, PhotoElement, TextElement } from '../../../shared/contracts/templates';
import { MediaImage } from '../components/MediaImage';
import { useT } from '../hooks/useT';
import { SelectField } from './SelectField';
import { TEXT_DEFAULTS } from '../../../shared/text';

const WEIGHTS = ['300', '400', '500', '600', '700', '800'];

/** Choosing an image from the media library (when the admin has it) or uploading one. */
export interface MediaPicking {
  canPick: boolean;
  uploading: boolean;
  onPick: () => void;
  onUpload: (file: File) => void;
}

interface Props {
  element: DesignElement;
  fields: string[];
  fonts: string[];
  onChange: (patch: Partial<DesignElement>) => void;
  onDelete: () => void;
  disabled?: boolean;
  /** For a photo element's placeholder image. */
  placeholderMedia: MediaPicking;
}

const Num = ({ label, value, onChange, disabled }: { label: string; value: number | undefined; onChange: (n: number | undefined) => void; disabled?: boolean }) => (
  <Field.Root name={label}>
    <Field.Label>{label}</Field.Label>
    <NumberInput size="S" value={value} step={0.5} disabled={disabled} onValueChange={onChange} />
  </Field.Root>
);

const Color = ({ label, value, onChange, disabled }: { label: string; value: string | undefined; onChange: (v: string) => void; disabled?: boolean }) => (
  <Field.Root name={label}>
    <Field.Label>{label}</Field.Label>
    <Flex gap={2}>
      <input
        type="color"
        aria-label={label}
        value={/^#[0-9a-f]{6}$/i.test(value ?? '') ? value : '#000000'}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        style={{ width: 32, height: 32, border: 'none', padding: 0, background: 'none', cursor: 'pointer' }}
      />
      <TextInput size="S" aria-label={label} value={value ?? ''} disabled={disabled} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} />
    </Flex>
  </Field.Root>
);

/** Edit one element: geometry in mm, then what it shows and how. */
export const Inspector = ({ element: el, fields, fonts, onChange, onDelete, disabled, placeholderMedia }: Props) => {
  const t = useT();
  const num = (key: keyof DesignElement) => (n: number | undefined) => onChange({ [key]: n ?? 0 } as Partial<DesignElement>);
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between">
        <Typography variant="sigma" textColor="neutral600">{`${el.type} · ${el.id}`}</Typography>
        <Button variant="danger-light" size="S" startIcon={<Trash />} onClick={onDelete} disabled={disabled}>
          {t('inspector.remove', 'Remove')}
        </Button>
      </Flex>
      <Grid.Root gap={2}>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.x', 'X (mm)')} value={el.x} onChange={num('x')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.y', 'Y (mm)')} value={el.y} onChange={num('y')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.width', 'Width (mm)')} value={el.width} onChange={num('width')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.height', 'Height (mm)')} value={el.height} onChange={num('height')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.rotation', 'Rotation (°)')} value={el.rotation ?? 0} onChange={num('rotation')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.layer', 'Layer')} value={el.z ?? 0} onChange={num('z')} disabled={disabled} /></Grid.Item>
      </Grid.Root>
      {el.type === 'text' && <TextProps el={el} fields={fields} fonts={fonts} onChange={onChange} disabled={disabled} />}
      {el.type === 'qr' && (
        <Grid.Root gap={2}>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label={t('inspector.colour', 'Colour')} value={el.color} onChange={(color) => onChange({ color })} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label={t('inspector.background', 'Background')} value={el.background} onChange={(background) => onChange({ background } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={12}><Typography variant="pi" textColor="neutral600">{t('inspector.qrHint', 'Encodes the certificate’s verification URL.')}</Typography></Grid.Item>
        </Grid.Root>
      )}
      {el.type === 'image' && (
        <SelectField name="fit" label={t('inspector.fit', 'Fit')} value={el.fit ?? 'contain'} options={[['contain', t('inspector.fit.contain', 'Contain')], ['cover', t('inspector.fit.cover', 'Cover')]]} disabled={disabled} onChange={(fit) => onChange({ fit })} />
      )}
      {el.type === 'photo' && (
        <Grid.Root gap={2}>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.cornerRadius', 'Corner radius (mm)')} value={el.borderRadius ?? 0} onChange={(n) => onChange({ borderRadius: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.border', 'Border (mm)')} value={el.borderWidth ?? 0} onChange={(n) => onChange({ borderWidth: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={12}><Typography variant="pi" textColor="neutral600">{t('inspector.photoHint', 'The participant’s best photo from the event, cropped to this frame.')}</Typography></Grid.Item>
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <PhotoFallback el={el} media={placeholderMedia} onChange={onChange} disabled={disabled} />
          </Grid.Item>
        </Grid.Root>
      )}
      {el.type === 'shape' && (
        <Grid.Root gap={2}>
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <SelectField
              name="shape"
              label={t('inspector.shape', 'Shape')}
              value={el.shape}
              options={[['rect', t('inspector.shape.rect', 'Rectangle')], ['ellipse', t('inspector.shape.ellipse', 'Ellipse')], ['line', t('inspector.shape.line', 'Line')]]}
              disabled={disabled}
              onChange={(shape) => onChange({ shape })}
            />
          </Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label={t('inspector.fill', 'Fill')} value={el.fill} onChange={(fill) => onChange({ fill } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label={t('inspector.stroke', 'Stroke')} value={el.stroke} onChange={(stroke) => onChange({ stroke } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.strokeWidth', 'Stroke (mm)')} value={el.strokeWidth ?? 0} onChange={(n) => onChange({ strokeWidth: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
        </Grid.Root>
      )}
    </Flex>
  );
};

/** What a record without a photo gets: no frame at all, or a placeholder image the organiser picks. */
const PhotoFallback = ({ el, media, onChange, disabled }: { el: PhotoElement; media: MediaPicking; onChange: (p: Partial<PhotoElement>) => void; disabled?: boolean }) => {
  const t = useT();
  const upload = React.useRef<HTMLInputElement>(null);
  const fallback = el.fallback ?? 'hide';
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <SelectField
        name="photoFallback"
        label={t('inspector.photoFallback', 'Without a photo')}
        value={fallback}
        options={[
          ['hide', t('inspector.photoFallback.hide', 'Hide the frame')],
          ['placeholder', t('inspector.photoFallback.placeholder', 'Show a placeholder image')],
        ]}
        disabled={disabled}
        onChange={(value) => onChange({ fallback: value })}
      />
      {fallback === 'placeholder' && (
        <>
          {el.placeholderFileId !== undefined ? (
            <Box height="80px" width="80px" hasRadius overflow="hidden" data-testid="photo-placeholder">
              <MediaImage fileId={el.placeholderFileId} fit={el.fit ?? 'cover'} />
            </Box>
          ) : (
            <Typography variant="pi" textColor="danger600">{t('inspector.placeholderMissing', 'Pick the image shown to records without a photo.')}</Typography>
          )}
          <Flex gap={2} wrap="wrap">
            {media.canPick && (
              <Button size="S" variant="secondary" startIcon={<Images />} disabled={disabled} onClick={media.onPick}>
                {t('inspector.placeholderPick', 'Pick placeholder')}
              </Button>
            )}
            <Button size="S" variant="secondary" startIcon={<Upload />} disabled={disabled} loading={media.uploading} onClick={() => upload.current?.click()}>
              {t('inspector.placeholderUpload', 'Upload placeholder')}
            </Button>
          </Flex>
          <input
            ref={upload}
            type="file"
            accept="image/*"
            hidden
            aria-label={t('inspector.placeholderUpload', 'Upload placeholder')}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
              const file = e.target.files?.[0];
              if (file) media.onUpload(file);
              e.target.value = '';
            }}
          />
        </>
      )}
    </Flex>
  );
};

const TextProps = ({ el, fields, fonts, onChange, disabled }: { el: TextElement; fields: string[]; fonts: string[]; onChange: (p: Partial<TextElement>) => void; disabled?: boolean }) => {
  const t = useT();
  const binding = el.text ? 'expression' : 'field';
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box>
        <Typography variant="pi" fontWeight="bold">{t('inspector.content', 'Content')}</Typography>
        <Box paddingTop={2}>
          <Radio.Group
            value={binding}
            aria-label={t('inspector.content', 'Content')}
            disabled={disabled}
            onValueChange={(v: string) =>
              v === 'field'
                ? onChange({ text: undefined, field: el.field ?? 'name' })
                : onChange({ text: el.field ? `{{${el.field}}}` : '{{name}}' })
            }
          >
            <Flex gap={4}>
              <Radio.Item value="field">{t('inspector.recordField', 'Record field')}</Radio.Item>
              <Radio.Item value="expression">{t('inspector.expression', 'Expression')}</Radio.Item>
            </Flex>
          </Radio.Group>
        </Box>
      </Box>
      {binding === 'field' ? (
        <SelectField name="field" label={t('inspector.field', 'Field')} value={el.field ?? 'name'} options={fields} disabled={disabled} onChange={(field) => onChange({ field })} />
      ) : (
        <Field.Root name="text" hint={t('inspector.expressionHint', 'Handlebars: {examples}', { examples: '{{name}}, {{event.name}}, {{#if finishTime}}…{{/if}}' })}>
          <Field.Label>{t('inspector.expression', 'Expression')}</Field.Label>
          <Textarea value={el.text ?? ''} disabled={disabled} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange({ text: e.target.value })} />
          <Field.Hint />
        </Field.Root>
      )}
      <Grid.Root gap={2}>
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <SelectField name="font" label={t('inspector.font', 'Font')} value={el.fontFamily ?? ''} placeholder={t('inspector.fontDefault', 'Template default')} options={fonts} disabled={disabled} onChange={(f) => onChange({ fontFamily: f || undefined })} />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.fontSize', 'Size (pt)')} value={el.fontSize ?? TEXT_DEFAULTS.fontSize} onChange={(n) => onChange({ fontSize: n ?? TEXT_DEFAULTS.fontSize })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField name="weight" label={t('inspector.weight', 'Weight')} value={String(el.fontWeight ?? 400)} options={WEIGHTS} disabled={disabled} onChange={(w) => onChange({ fontWeight: Number(w) })} />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Color label={t('inspector.colour', 'Colour')} value={el.color} onChange={(color) => onChange({ color })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField
            name="align"
            label={t('inspector.align', 'Alignment')}
            value={el.align ?? 'center'}
            options={[['left', t('inspector.align.left', 'Left')], ['center', t('inspector.align.center', 'Centre')], ['right', t('inspector.align.right', 'Right')]]}
            disabled={disabled}
            onChange={(align) => onChange({ align })}
          />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField
            name="direction"
            label={t('inspector.direction', 'Text direction')}
            value={el.direction ?? 'auto'}
            options={[
              ['auto', t('inspector.direction.auto', 'Auto (from the text)')],
              ['ltr', t('inspector.direction.ltr', 'Left to right')],
              ['rtl', t('inspector.direction.rtl', 'Right to left')],
            ]}
            disabled={disabled}
            onChange={(direction) => onChange({ direction: direction as 'auto' | 'ltr' | 'rtl' })}
          />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.letterSpacing', 'Letter spacing (em)')} value={el.letterSpacing ?? 0} onChange={(n) => onChange({ letterSpacing: n ?? 0 })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label={t('inspector.minFontSize', 'Min size (pt)')} value={el.minFontSize ?? 8} onChange={(n) => onChange({ minFontSize: n ?? 8 })} disabled={disabled || !el.shrinkToFit} /></Grid.Item>
      </Grid.Root>
      <Flex gap={4} wrap="wrap">
        <Checkbox checked={Boolean(el.shrinkToFit)} disabled={disabled} onCheckedChange={(c: boolean | 'indeterminate') => onChange({ shrinkToFit: c === true })}>
          {t('inspector.shrinkToFit', 'Shrink long text to fit')}
        </Checkbox>
        <Checkbox checked={Boolean(el.uppercase)} disabled={disabled} onCheckedChange={(c: boolean | 'indeterminate') => onChange({ uppercase: c === true })}>
          {t('inspector.uppercase', 'Uppercase')}
        </Checkbox>
        <Checkbox checked={Boolean(el.italic)} disabled={disabled} onCheckedChange={(c: boolean | 'indeterminate') => onChange({ italic: c === true })}>
          {t('inspector.italic', 'Italic')}
        </Checkbox>
      </Flex>
    </Flex>
  );
};
