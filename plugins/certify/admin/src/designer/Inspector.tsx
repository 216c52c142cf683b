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
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Trash } from '@strapi/icons';

import type { DesignElement, TextElement } from '../../../shared/contracts/templates';

interface Props {
  element: DesignElement;
  fields: string[];
  fonts: string[];
  onChange: (patch: Partial<DesignElement>) => void;
  onDelete: () => void;
  disabled?: boolean;
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
export const Inspector = ({ element: el, fields, fonts, onChange, onDelete, disabled }: Props) => {
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
        <Field.Root name="fit">
          <Field.Label>Fit</Field.Label>
          <SingleSelect size="S" value={el.fit ?? 'contain'} disabled={disabled} onChange={(v: string | number) => onChange({ fit: v } as Partial<DesignElement>)}>
            <SingleSelectOption value="contain">Contain</SingleSelectOption>
            <SingleSelectOption value="cover">Cover</SingleSelectOption>
          </SingleSelect>
        </Field.Root>
      )}
      {el.type === 'photo' && (
        <Grid.Root gap={2}>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Corner radius (mm)" value={el.borderRadius ?? 0} onChange={(n) => onChange({ borderRadius: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Border (mm)" value={el.borderWidth ?? 0} onChange={(n) => onChange({ borderWidth: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={12}><Typography variant="pi" textColor="neutral600">The participant’s best photo from the event, cropped to this frame.</Typography></Grid.Item>
        </Grid.Root>
      )}
      {el.type === 'shape' && (
        <Grid.Root gap={2}>
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <Field.Root name="shape">
              <Field.Label>Shape</Field.Label>
              <SingleSelect size="S" value={el.shape} disabled={disabled} onChange={(v: string | number) => onChange({ shape: v } as Partial<DesignElement>)}>
                <SingleSelectOption value="rect">Rectangle</SingleSelectOption>
                <SingleSelectOption value="ellipse">Ellipse</SingleSelectOption>
                <SingleSelectOption value="line">Line</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Fill" value={el.fill} onChange={(fill) => onChange({ fill } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Stroke" value={el.stroke} onChange={(stroke) => onChange({ stroke } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
          <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Stroke (mm)" value={el.strokeWidth ?? 0} onChange={(n) => onChange({ strokeWidth: n ?? 0 } as Partial<DesignElement>)} disabled={disabled} /></Grid.Item>
        </Grid.Root>
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
        <Field.Root name="field">
          <Field.Label>Field</Field.Label>
          <SingleSelect size="S" value={el.field ?? 'name'} disabled={disabled} onChange={(v: string | number) => onChange({ field: String(v) })}>
            {fields.map((f) => (
              <SingleSelectOption key={f} value={f}>{f}</SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      ) : (
        <Field.Root name="text" hint="Handlebars: {{name}}, {{event.name}}, {{#if finishTime}}…{{/if}}">
          <Field.Label>Expression</Field.Label>
          <Textarea value={el.text ?? ''} disabled={disabled} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange({ text: e.target.value })} />
          <Field.Hint />
        </Field.Root>
      )}
      <Grid.Root gap={2}>
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <Field.Root name="font">
            <Field.Label>Font</Field.Label>
            <SingleSelect size="S" value={el.fontFamily ?? ''} placeholder="Template default" disabled={disabled} onChange={(v: string | number) => onChange({ fontFamily: String(v) || undefined })}>
              {fonts.map((f) => (
                <SingleSelectOption key={f} value={f}>{f}</SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Num label="Size (pt)" value={el.fontSize ?? 14} onChange={(n) => onChange({ fontSize: n ?? 14 })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <Field.Root name="weight">
            <Field.Label>Weight</Field.Label>
            <SingleSelect size="S" value={String(el.fontWeight ?? 400)} disabled={disabled} onChange={(v: string | number) => onChange({ fontWeight: Number(v) })}>
              {[300, 400, 500, 600, 700, 800].map((w) => (
                <SingleSelectOption key={w} value={String(w)}>{String(w)}</SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch"><Color label="Colour" value={el.color} onChange={(color) => onChange({ color })} disabled={disabled} /></Grid.Item>
        <Grid.Item col={6} direction="column" alignItems="stretch">
          <Field.Root name="align">
            <Field.Label>Alignment</Field.Label>
            <SingleSelect size="S" value={el.align ?? 'center'} disabled={disabled} onChange={(v: string | number) => onChange({ align: v as TextElement['align'] })}>
              <SingleSelectOption value="left">Left</SingleSelectOption>
              <SingleSelectOption value="center">Centre</SingleSelectOption>
              <SingleSelectOption value="right">Right</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
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
