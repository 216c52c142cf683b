/**
 * The participant pages answer in the visitor's language: chosen from Accept-Language with its
 * q-values (English when nothing fits), said in `<html lang>` and Content-Language, cached per
 * language (Vary, an ETag per language). Translations are JSON files with exactly en.json's keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';
import { markPublished } from '../fixtures/publish/helpers';

const LOCALES_DIR = path.join(__dirname, '../../plugins/certify/server/src/services/participant/locales');

let app: TestApp;
let event: { documentId: string; slug: string };
let eleni: any;
let revoked: any;

const page = (url: string, acceptLanguage?: string) => {
  const req = app.http().get(url);
  return acceptLanguage === undefined ? req : req.set('Accept-Language', acceptLanguage);
};
const lang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
const meta = (html: string, key: string) => {
  const m = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html);
  return m ? decode(m[1]) : null;
};

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false' });
  event = await app.createEvent({ name: 'Lisbon Half' });
  for (const [bib, name, finishTime] of [
    ['7', 'Eleni Papadopoulou', '1:41:07'],
    ['8', 'Jan Kowalski', '1:52:30'],
    ['9', 'Petra Nowak', '2:01:00'],
    ['10', 'Jan Novák', '2:03:00'],
  ]) {
    expect((await app.admin('post', `/certify/events/${event.documentId}/records`).send({ bib, name, finishTime })).status).toBe(201);
  }
  const rows = await markPublished(app.strapi, event.documentId);
  eleni = rows.find((r: any) => r.bib === '7');
  revoked = rows.find((r: any) => r.bib === '9');
  const res = await app.admin('post', `/certify/events/${event.documentId}/records/${revoked.documentId}/revoke`).send({ reason: 'Course cut' });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await app?.close();
});

describe('locale files', () => {
  const en = JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, 'en.json'), 'utf8'));
  const files = fs.readdirSync(LOCALES_DIR).filter((f) => f.endsWith('.json'));
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('exist for English and at least three more languages', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['de.json', 'en.json', 'es.json', 'fr.json']));
  });

  it.each(files)('%s has exactly the keys of en.json, each translated with the same placeholders', (file) => {
    const messages = JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, file), 'utf8'));
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(typeof text === 'string' && text.trim().length > 0).toBe(true);
      expect([key, placeholders(text as string)]).toEqual([key, placeholders(en[key])]);
    }
  });
});

describe('finder page', () => {
  it.each([
    [undefined, 'en', 'Find my certificate'],
    ['de-CH, de;q=0.9, en;q=0.5', 'de', 'Meine Urkunde finden'],
    ['fr;q=0.4, es;q=0.8, en;q=0.1', 'es', 'Buscar mi certificado'],
    ['en;q=0, fr', 'fr', 'Trouver mon certificat'],
    ['ja, zh;q=0.9', 'en', 'Find my certificate'],
  ])('Accept-Language %s answers in %s', async (header, locale, submit) => {
    const res = await page(`/certificates/${event.slug}`, header);
    expect(res.status).toBe(200);
    expect(lang(res.text)).toBe(locale);
    expect(res.headers['content-language']).toBe(locale);
    expect(res.headers.vary).toMatch(/Accept-Language/i);
    expect(res.text).toContain(`<button type="submit">${submit}</button>`);
  });

  it('translates results, counts and plural forms', async () => {
    const de = await page(`/certificates/${event.slug}?name=jan`, 'de');
    expect(de.text).toContain('2 Urkunden gefunden');
    expect(de.text).toContain('<dt>Startnummer</dt>');
    expect(de.text).toContain('PDF herunterladen');
    const fr = await page(`/certificates/${event.slug}?bib=7`, 'fr');
    expect(fr.text).toContain('1 certificat trouvé');
    expect(fr.text).toContain('Temps d’arrivée');
    expect(fr.text).toContain('4 octobre 2026'); // the event's date
  });

  it('says "no match" and refuses a too short name in the visitor’s language', async () => {
    const none = await page(`/certificates/${event.slug}?bib=404`, 'es');
    expect(none.text).toContain('Ningún certificado publicado coincide con el dorsal 404.');
    const vague = await page(`/certificates/${event.slug}?name=j`, 'de');
    expect(vague.text).toContain('mindestens 2 Buchstaben');
    const big = await page(`/certificates/${event.slug}?name=jan&pageSize=500`, 'fr');
    expect(big.text).toContain('La taille de page doit être un nombre entier de 1 à 50.');
  });

  it('keeps one ETag per language: a revalidation is answered 304 only in the same language', async () => {
    const en = await page(`/certificates/${event.slug}`, 'en');
    const de = await page(`/certificates/${event.slug}`, 'de');
    expect(en.headers.etag).toBeTruthy();
    expect(de.headers.etag).not.toBe(en.headers.etag);
    expect((await page(`/certificates/${event.slug}`, 'de').set('If-None-Match', de.headers.etag)).status).toBe(304);
    const switched = await page(`/certificates/${event.slug}`, 'fr').set('If-None-Match', de.headers.etag);
    expect(switched.status).toBe(200);
    expect(lang(switched.text)).toBe('fr');
  });
});

describe('verify page', () => {
  it('translates the page, its share tags and the LinkedIn certification name', async () => {
    const res = await page(`/verify/${eleni.verificationCode}`, 'de-DE,de;q=0.9');
    expect(res.status).toBe(200);
    expect(lang(res.text)).toBe('de');
    expect(res.headers['content-language']).toBe('de');
    expect(res.text).toContain('✓ Gültige Urkunde');
    expect(res.text).toContain('<dt>Ausgestellt am</dt><dd>5. Oktober 2026</dd>');
    expect(res.text).toContain('Zum LinkedIn-Profil hinzufügen');
    expect(res.text).toContain('data-done="Link kopiert"');
    expect(meta(res.text, 'og:title')).toBe('Eleni Papadopoulou hat Lisbon Half in 1:41:07 beendet');
    const href = decode(/id="linkedin" href="([^"]+)"/.exec(res.text)![1]);
    expect(new URL(href).searchParams.get('name')).toBe('Lisbon Half — Finisher-Urkunde');
    const en = await page(`/verify/${eleni.verificationCode}`);
    expect(meta(en.text, 'og:title')).toBe('Eleni Papadopoulou finished Lisbon Half in 1:41:07');
    expect(en.text).toContain('<dt>Issued on</dt><dd>5 October 2026</dd>');
  });
});

describe('error pages', () => {
  it.each([
    ['es', '/verify/AAAAAAAAAAAAAAAA', 404, 'Ningún certificado tiene este código de verificación.'],
    ['fr', '/certificates/no-such-event', 404, 'Il n’existe aucun événement « no-such-event ».'],
    ['de', '/certificates/no-such-event', 404, 'Es gibt keine Veranstaltung „no-such-event“.'],
    ['en', '/verify/AAAAAAAAAAAAAAAA', 404, 'No certificate has this verification code.'],
  ])('in %s: %s answers %d with its message', async (header, url, status, message) => {
    const res = await page(url, header);
    expect(res.status).toBe(status);
    expect(lang(res.text)).toBe(header);
    expect(res.headers['content-language']).toBe(header);
    expect(res.headers.vary).toMatch(/Accept-Language/i);
    expect(res.text).toContain(message);
  });

  it('says a certificate was revoked, with the organiser’s reason, in the visitor’s language', async () => {
    const today = new Date();
    const de = await page(`/verify/${revoked.verificationCode}`, 'de');
    expect(de.status).toBe(410);
    expect(de.text).toContain('Urkunde widerrufen');
    const date = today.toLocaleDateString('de', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(de.text).toContain(`Diese Urkunde wurde am ${date} widerrufen: Course cut`);
    const es = await page(`/verify/${revoked.verificationCode}`, 'es');
    expect(es.text).toContain('Certificado revocado');
    expect(es.text).toContain('Course cut');
  });

  it('tells a locked event’s visitors only that certificates are unavailable, translated', async () => {
    const locked = await app.createEvent({ plan: 'trial' });
    const res = await page(`/certificates/${locked.slug}`, 'fr');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Les certificats de cet événement ne sont pas disponibles.');
    expect(res.text).not.toMatch(/Pro|Enterprise|Trial|plan|upgrade/i);
  });
});
