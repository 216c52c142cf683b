import { PassThrough } from 'node:stream';
import archiver from 'archiver';
import { readableName } from './keys';
import { zipEntryNamer, zipLength, zipLinks } from './zip';

const fakeStrapi = (secret = 'test-secret') => ({ config: { get: (key: string) => (key === 'admin.auth.secret' ? secret : undefined) } }) as never;

describe('names people read', () => {
  it('keep the participant\'s letters in any script, lower case, and are never a path', () => {
    expect(readableName('Łukasz Żoń')).toBe('łukasz-żoń');
    expect(readableName('Yuki KAWAUCHI')).toBe('yuki-kawauchi');
    expect(readableName('山田 太郎')).toBe('山田-太郎');
    expect(readableName('../../etc/passwd')).toBe('etc-passwd');
    expect(readableName('José\u0301')).toBe('josé́'.normalize('NFC'));
    expect(readableName('  ')).toBe('x');
    expect(Array.from(readableName('ü'.repeat(100), 60))).toHaveLength(60);
  });

  it('are unique within an archive', () => {
    const name = zipEntryNamer();
    expect([name({ bib: 7, name: 'Maria' }), name({ bib: '7/', name: 'maria' }), name({ bib: 7, name: 'Maria' })]).toEqual([
      '7-maria.pdf',
      '7-maria-2.pdf',
      '7-maria-3.pdf',
    ]);
  });
});

describe('the archive length announced up front', () => {
  it('is exactly what archiver writes for stored stream entries, with UTF-8 names', async () => {
    const files = [
      { name: '1-ζωή-οικονόμου.pdf', data: Buffer.alloc(1234, 1) },
      { name: '2-山田-太郎.pdf', data: Buffer.alloc(0) },
      { name: '3-ana.pdf', data: Buffer.alloc(70_000, 7) },
    ];
    const archive = archiver('zip', { store: true });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => out.on('end', r));
    archive.pipe(out);
    for (const f of files) {
      const stream = new PassThrough();
      archive.append(stream, { name: f.name });
      stream.end(f.data);
    }
    await archive.finalize();
    await ended;
    const written = Buffer.concat(chunks).length;
    expect(zipLength(files.map((f, i) => ({ name: f.name, file: { id: i, url: '' }, bytes: f.data.length })))).toBe(written);
  });

  it('is left unsaid when a size is unknown or the archive needs ZIP64', () => {
    expect(zipLength([{ name: 'a.pdf', file: { id: 1, url: '' }, bytes: null }])).toBeNull();
    expect(zipLength([{ name: 'a.pdf', file: { id: 1, url: '' }, bytes: 5 * 1024 ** 3 }])).toBeNull();
  });
});

describe('download links', () => {
  it('carry their event and category, and are refused once expired, altered or signed with another secret', () => {
    const links = zipLinks(fakeStrapi());
    const { token } = links.create({ eventId: 'ev1', category: 'M40' });
    expect(links.verify(token)).toMatchObject({ eventId: 'ev1', category: 'M40' });
    const old = links.create({ eventId: 'ev1' }, Date.now() - 10 * 60_000).token;
    expect(links.verify(old)).toBeNull();
    expect(zipLinks(fakeStrapi('other')).verify(token)).toBeNull();
    expect(links.verify(`${token}x`)).toBeNull();
    expect(links.verify('')).toBeNull();
  });
});
