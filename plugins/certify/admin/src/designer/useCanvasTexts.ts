import * as React from 'react';
import { useDebounce } from '@strapi/strapi/admin';

import type { DesignDocument, ElementText } from '../../../shared/contracts/templates';
import { mediaUrl } from '../api/client';
import { useTemplateTextsQuery } from '../api/templates';

/** Short: the server answers without Chromium, and the canvas should follow typing. */
const TEXTS_DELAY_MS = 150;

/** What the canvas shows of a text element: its printed text, or the source and why it cannot render. */
export type CanvasText = { text: string } | { error: string; source: string };

const decoded = new Map<string, string>();
/**
 * The text of the render's HTML output as the page shows it (entities decoded). Parsed in an
 * inert document, never inserted: a template's own markup must not run in the admin.
 */
const textOf = (html: string): string => {
  let text = decoded.get(html);
  if (text === undefined) {
    text = new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
    if (decoded.size > 500) decoded.clear();
    decoded.set(html, text);
  }
  return text;
};

/** The renderer's @font-face rules in the admin's document, while the canvas is shown. */
const useFontCss = (css: string | undefined) => {
  React.useEffect(() => {
    if (!css) return undefined;
    const style = document.createElement('style');
    style.dataset.certifyFonts = '';
    // Root-relative URLs (the font route, local uploads) resolved against the server, like media.
    style.textContent = css.replace(/url\(("?)(\/[^)"]*)\1\)/g, (_m, q: string, p: string) => `url(${q}${mediaUrl(p)}${q})`);
    document.head.appendChild(style);
    return () => style.remove();
  }, [css]);
};

/**
 * The canvas's text, from the renderer itself: each text element's output for the preview's
 * record (the same Handlebars, helpers, derived fields and empty-line hiding as the certificate)
 * and the same font files. Only text and font changes ask again; moving elements does not.
 */
export const useCanvasTexts = ({
  eventId,
  templateId,
  design,
  recordId,
  canDesign,
}: {
  eventId: string;
  templateId: string;
  design: DesignDocument;
  recordId?: string;
  canDesign: boolean;
}): Record<string, CanvasText> => {
  const textElements = design.elements.filter((el) => el.type === 'text');
  // What the output depends on; positions and colours are left out so dragging sends nothing.
  const key = JSON.stringify([design.fontFamily, textElements.map((el) => [el.id, el.field, el.text, el.fontFamily, el.fontWeight, el.italic])]);
  const draft = React.useMemo(
    () => ({ mode: 'designer' as const, design: { version: 1 as const, fontFamily: design.fontFamily, elements: textElements } }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key]
  );
  const settled = useDebounce(draft, TEXTS_DELAY_MS);
  // Read-only roles may not render drafts: they see the saved template, which is what they look at.
  const { data } = useTemplateTextsQuery({ eventId, templateId, recordId, ...(canDesign ? { template: settled } : {}) });
  useFontCss(data?.fontCss);

  return React.useMemo(() => {
    const out: Record<string, CanvasText> = {};
    for (const [id, value] of Object.entries(data?.elements ?? {}) as Array<[string, ElementText]>) {
      const el = textElements.find((e) => e.id === id);
      out[id] = 'html' in value ? { text: textOf(value.html) } : { error: value.error, source: el?.text || (el?.field ? `{{${el.field}}}` : '') };
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, key]);
};
