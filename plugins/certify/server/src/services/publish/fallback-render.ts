import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Stand-in for `renderer.renderBatch` while the Chromium renderer is not in this build: a
 * one-page PDF with the record's name and bib, and a small PNG. Only used when
 * `renderer.renderBatch` is missing, so publishing can be developed and tested on its own.
 */
export type RenderItem = { record: any; verifyUrl: string; photo?: { data: Buffer; mime: string } | null };
export type RenderResult = { documentId: string; pdf?: Buffer; image?: Buffer; imageMime?: string; error?: string };

const latin1 = (s: unknown) => String(s ?? '').replace(/[^\x20-\x7e]/g, '?');

// An 8x8 grey PNG.
const tinyPng = () =>
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAIklEQVR4AYXBAQEAMAiAME7/YMa6CWR7szhIkCBBggQJEj46pQMwlMVpkAAAAABJRU5ErkJggg==', 'base64');

export async function fallbackRenderBatch(template: any, items: RenderItem[], opts: { image?: boolean } = {}) {
  const out: RenderResult[] = [];
  for (const { record, verifyUrl } of items) {
    try {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      const page = doc.addPage([842, 595]);
      page.drawText(latin1(template?.name ?? 'Certificate'), { x: 50, y: 520, size: 24, font });
      page.drawText(latin1(record.name ?? ''), { x: 50, y: 400, size: 32, font });
      page.drawText(`Bib ${latin1(record.bib)}  ${latin1(record.finishTime ?? '')}`, { x: 50, y: 350, size: 16, font });
      page.drawText(latin1(verifyUrl), { x: 50, y: 60, size: 10, font });
      const pdf = Buffer.from(await doc.save());
      out.push({ documentId: record.documentId, pdf, ...(opts.image ? { image: tinyPng(), imageMime: 'image/png' } : {}) });
    } catch (err) {
      out.push({ documentId: record.documentId, error: (err as Error).message });
    }
  }
  return out;
}
