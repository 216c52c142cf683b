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
import { SelectField } from './SelectField';

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
  const num = (key: keyof DesignElement) => (n: number | undefined) => onChange({ [key]: n ?? 0 } as Partial<DesignElement>);
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between">
        <Typography variant="sigma" textColor="neutral600">{`${el.type} · ${el.id}`}</Typography>
        <Button variant="danger-light" size="S" startIcon={<Trash />} onClick={onDelete} disabled={disabled}>
          Remove
        </Button>
      </Flex>
      <Grid.Root gap={2}>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="X (mm)" value={el.x} onChange={num('x')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Y (mm)" value={el.y} onChange={num('y')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Width (mm)" value={el.width} onChange={num('width')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Height (mm)" value={el.height} onChange={num('height')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Rotation (°)" value={el.rotation ?? 0} onChange={num('rotation')} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Layer" value={el.z ?? 0} onChange={num('z')} disabled={disabled} /></Grid.Item>
      </Grid.Root>
      {el.type === 'text' && <TextProps el={el} fields={fields} fonts={fonts} onChange={onChange} disabled={disabled} />}
      {el.type === 'qr' && (
        <Grid.Root gap={2}>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Colour" value={el.color} onChange={(color) => onChange({ color })} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Background" value={el.background} onChange={(background) => onChange({ background } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={12}><Typography variant="pi" textColor="neutral600">Encodes the certificate’s verification URL.</Typography></Grid.Item>
        </Grid.Root>
      )}
      {el.type === 'image' && (
        <SelectField name="fit" label="Fit" value={el.fit ?? 'contain'} options={[['contain', 'Contain'], ['cover', 'Cover']]} disabled={disabled} onChange={(fit) => onChange({ fit })} />
      )}
      {el.type === 'photo' && (
        <Grid.Root gap={2}>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Corner radius (mm)" value={el.borderRadius ?? 0} onChange={(n) => onChange({ borderRadius: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Border (mm)" value={el.borderWidth ?? 0} onChange={(n) => onChange({ borderWidth: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={12}><Typography variant="pi" textColor="neutral600">The participant’s best photo from the event, cropped to this frame.</Typography></Grid.Item>
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
              label="Shape"
              value={el.shape}
              options={[['rect', 'Rectangle'], ['ellipse', 'Ellipse'], ['line', 'Line']]}
              disabled={disabled}
              onChange={(shape) => onChange({ shape })}
            />
          </Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Fill" value={el.fill} onChange={(fill) => onChange({ fill } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Stroke" value={el.stroke} onChange={(stroke) => onChange({ stroke } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Stroke (mm)" value={el.strokeWidth ?? 0} onChange={(n) => onChange({ strokeWidth: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
        </Grid.Root>
      )}
    </Flex>
  );
};

/** What a record without a photo gets: no frame at all, or a placeholder image the organiser picks. */
const PhotoFallback = ({ el, media, onChange, disabled }: { el: PhotoElement; media: MediaPicking; onChange: (p: Partial<PhotoElement>) => void; disabled?: boolean }) => {
  const upload = React.useRef<HTMLInputElement>(null);
  const fallback = el.fallback ?? 'hide';
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <SelectField
        name="photoFallback"
        label="Without a photo"
        value={fallback}
        options={[['hide', 'Hide the frame'], ['placeholder', 'Show a placeholder image']]}
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
            <Typography variant="pi" textColor="danger600">Pick the image shown to records without a photo.</Typography>
          )}
          <Flex gap={2} wrap="wrap">
            {media.canPick && (
              <Button size="S" variant="secondary" startIcon={<Images />} disabled={disabled} onClick={media.onPick}>
                Pick placeholder
              </Button>
            )}
            <Button size="S" variant="secondary" startIcon={<Upload />} disabled={disabled} loading={media.uploading} onClick={() => upload.current?.click()}>
              Upload placeholder
            </Button>
          </Flex>
          <input
            ref={upload}
            type="file"
            accept="image/*"
            hidden
            aria-label="Upload placeholder"
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
  const binding = el.text ? 'expression' : 'field';
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box>
        <Typography variant="pi" fontWeight="bold">Content</Typography>
        <Box paddingTop={2}>
          <Radio.Group
            value={binding}
            aria-label="Content"
            disabled={disabled}
            onValueChange={(v: string) =>
              v === 'field'
                ? onChange({ text: undefined, field: el.field ?? 'name' })
                : onChange({ text: el.field ? `{{${el.field}}}` : '{{name}}' })
            }
          >
            <Flex gap={4}>
              <Radio.Item value="field">Record field</Radio.Item>
              <Radio.Item value="expression">Expression</Radio.Item>
            </Flex>
          </Radio.Group>
        </Box>
      </Box>
      {binding === 'field' ? (
        <SelectField name="field" label="Field" value={el.field ?? 'name'} options={fields} disabled={disabled} onChange={(field) => onChange({ field })} />
      ) : (
        <Field.Root name="text" hint="Handlebars: {{name}}, {{event.name}}, {{#if finishTime}}…{{/if}}">
          <Field.Label>Expression</Field.Label>
          <Textarea value={el.text ?? ''} disabled={disabled} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange({ text: e.target.value })} />
          <Field.Hint />
        </Field.Root>
      )}
      <Grid.Root gap={2}>
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <SelectField name="font" label="Font" value={el.fontFamily ?? ''} placeholder="Template default" options={fonts} disabled={disabled} onChange={(f) => onChange({ fontFamily: f || undefined })} />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Size (pt)" value={el.fontSize ?? 14} onChange={(n) => onChange({ fontSize: n ?? 14 })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField name="weight" label="Weight" value={String(el.fontWeight ?? 400)} options={WEIGHTS} disabled={disabled} onChange={(w) => onChange({ fontWeight: Number(w) })} />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Colour" value={el.color} onChange={(color) => onChange({ color })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField
            name="align"
            label="Alignment"
            value={el.align ?? 'center'}
            options={[['left', 'Left'], ['center', 'Centre'], ['right', 'Right']]}
            disabled={disabled}
            onChange={(align) => onChange({ align })}
          />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <SelectField
            name="direction"
            label="Text direction"
            value={el.direction ?? 'auto'}
            options={[['auto', 'Auto (from the text)'], ['ltr', 'Left to right'], ['rtl', 'Right to left']]}
            disabled={disabled}
            onChange={(direction) => onChange({ direction: direction as 'auto' | 'ltr' | 'rtl' })}
          />
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Letter spacing (em)" value={el.letterSpacing ?? 0} onChange={(n) => onChange({ letterSpacing: n ?? 0 })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Min size (pt)" value={el.minFontSize ?? 8} onChange={(n) => onChange({ minFontSize: n ?? 8 })} disabled={disabled || !el.shrinkToFit} /></Grid.Item>
      </Grid.Root>
      <Flex gap={4} wrap="wrap">
        <Checkbox checked={Boolean(el.shrinkToFit)} disabled={disabled} onCheckedChange={(c: boolean | 'indeterminate') => onChange({ shrinkToFit: c === true })}>
          Shrink long text to fit
        </Checkbox>
        <Checkbox checked={Boolean(el.uppercase)} disabled={disabled} onCheckedChange={(c: boolean | 'indeterminate') => onChange({ uppercase: c === true })}>
          Uppercase
        </Checkbox>
        <Checkbox checked={Boolean(el.italic)} disabled={disabled} onCheckedChange={(c: boolean | 'indeterminate') => onChange({ italic: c === true })}>
          Italic
        </Checkbox>
      </Flex>
    </Flex>
  );
};
