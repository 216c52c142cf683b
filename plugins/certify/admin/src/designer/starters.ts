import type { DesignDocument, DesignElement, TemplateInput } from '../../../shared/contracts/templates';
import { msg, type Message } from '../hooks/useT';

export interface Starter {
  id: string;
  title: Message;
  description: Message;
  /** The name a new template of this kind gets until the organiser types one. */
  defaultName: Message;
  build: (name: string) => TemplateInput;
}

const text = (id: string, y: number, extra: Partial<DesignElement> & Record<string, unknown>): DesignElement =>
  ({
    id,
    type: 'text',
    x: 20,
    y,
    width: 257,
    height: 12,
    align: 'center',
    color: '#1f2937',
    fontSize: 14,
    ...extra,
  }) as DesignElement;

/** A4 landscape is 297 × 210 mm; the starters are laid out on it. */
const finisher = (): DesignDocument => ({
  version: 1,
  backgroundColor: '#fffdf7',
  fontFamily: 'Inter',
  elements: [
    { id: 'frame', type: 'shape', shape: 'rect', x: 8, y: 8, width: 281, height: 194, stroke: '#b08d57', strokeWidth: 1.2, z: 0 },
    text('title', 26, { text: 'Certificate of Achievement', fontFamily: 'Playfair Display', fontSize: 34, fontWeight: 700, color: '#1e3a5f', height: 16 }),
    text('intro', 52, { text: 'This certifies that', fontSize: 13, color: '#6b7280', height: 8 }),
    text('name', 64, { field: 'name', fontFamily: 'Great Vibes', fontSize: 44, color: '#111827', height: 22, shrinkToFit: true, minFontSize: 20, x: 40, width: 217 }),
    text('event', 94, { text: 'finished {{event.name}}', fontSize: 16, height: 9 }),
    text('time', 112, { text: '{{#if finishTime}}in {{finishTime}}{{/if}}', fontFamily: 'Oswald', fontSize: 28, fontWeight: 600, color: '#b08d57', height: 14 }),
    // Each part only when its fields are there: no "Overall ·" without ranks, no "in" without a category.
    text('rank', 132, {
      text: '{{#if rankOverall}}{{ordinal rankOverall}} overall{{/if}}{{#if rankCategory}}{{#if rankOverall}} · {{/if}}{{ordinal rankCategory}}{{#if category}} in {{category}}{{/if}}{{/if}}',
      fontSize: 12,
      color: '#4b5563',
      height: 8,
    }),
    text('bib', 176, { text: 'Bib {{bib}}', fontSize: 10, color: '#6b7280', x: 20, width: 80, align: 'left', height: 6 }),
    { id: 'qr', type: 'qr', x: 254, y: 165, width: 26, height: 26 },
  ],
});

const participation = (): DesignDocument => ({
  version: 1,
  backgroundColor: '#f5f8ff',
  fontFamily: 'Inter',
  elements: [
    { id: 'band', type: 'shape', shape: 'rect', x: 0, y: 0, width: 297, height: 18, fill: '#4945ff' },
    text('title', 40, { text: 'Certificate of Participation', fontFamily: 'EB Garamond', fontSize: 32, fontWeight: 700, color: '#271fe0', height: 16 }),
    text('name', 76, { field: 'name', fontSize: 36, fontWeight: 600, height: 18, shrinkToFit: true, minFontSize: 18, x: 40, width: 217 }),
    text('event', 104, { text: 'took part in {{event.name}}', fontSize: 16, height: 9 }),
    { id: 'photo', type: 'photo', x: 20, y: 140, width: 40, height: 40, borderRadius: 20, fit: 'cover' },
    { id: 'qr', type: 'qr', x: 252, y: 154, width: 26, height: 26 },
  ],
});

const blank = (): DesignDocument => ({
  version: 1,
  fontFamily: 'Inter',
  elements: [text('name', 96, { field: 'name', fontSize: 36, height: 18, shrinkToFit: true, minFontSize: 18 })],
});

const base = (name: string, purpose: string, design: DesignDocument): TemplateInput => ({
  name,
  purpose,
  pageSize: 'A4',
  orientation: 'landscape',
  mode: 'designer',
  design,
});

export const STARTERS: Starter[] = [
  {
    id: 'finisher',
    title: msg('starter.finisher', 'Finisher'),
    description: msg('starter.finisher.text', 'Name, event, finish time, ranks and a verification QR code.'),
    defaultName: msg('starter.finisher.name', 'Finisher certificate'),
    build: (name) => base(name, 'finisher', finisher()),
  },
  {
    id: 'participation',
    title: msg('starter.participation', 'Participation'),
    description: msg('starter.participation.text', 'For everyone who took part: name, event, photo and QR code.'),
    defaultName: msg('starter.participation.name', 'Participation certificate'),
    build: (name) => base(name, 'participation', participation()),
  },
  {
    id: 'blank',
    title: msg('starter.blank', 'Blank'),
    description: msg('starter.blank.text', 'Only the participant’s name. Add a background and your own fields.'),
    defaultName: msg('starter.blank.name', 'Certificate'),
    build: (name) => base(name, 'finisher', blank()),
  },
];

export const DEFAULT_HTML = `<div class="page">
  <h1>Certificate of Achievement</h1>
  <p class="name">{{name}}</p>
  <p>finished {{event.name}}{{#if finishTime}} in {{finishTime}}{{/if}}</p>
</div>`;

export const DEFAULT_CSS = `.page { width: 100%; height: 100%; display: flex; flex-direction: column;
  align-items: center; justify-content: center; font-family: 'Inter', sans-serif; }
h1 { font-family: 'Playfair Display', serif; font-size: 32pt; color: #1e3a5f; margin: 0 0 12mm; }
.name { font-family: 'Great Vibes', cursive; font-size: 44pt; margin: 0 0 6mm; }`;
