import { withoutServerPaths } from './redact';

describe('withoutServerPaths', () => {
  it('drops the directories of absolute Unix paths and keeps the file name', () => {
    expect(withoutServerPaths("EACCES: permission denied, open '/work/main/public/uploads/1001-abc_ff.pdf'")).toBe(
      "EACCES: permission denied, open '1001-abc_ff.pdf'"
    );
    expect(withoutServerPaths('ENOTDIR: not a directory, mkdir /app/public/uploads/certify')).toBe(
      'ENOTDIR: not a directory, mkdir certify'
    );
  });

  it('drops Windows paths', () => {
    expect(withoutServerPaths('ENOENT: no such file or directory, open C:\\srv\\certify\\public\\uploads\\a.pdf')).toBe(
      'ENOENT: no such file or directory, open a.pdf'
    );
  });

  it('cleans the frames of a stack trace', () => {
    const stack = 'Error: boom\n    at store (/app/plugins/certify/dist/server/index.js:120:7)\n    at async work (/app/x/y.js:3:1)';
    const out = withoutServerPaths(stack);
    expect(out).not.toMatch(/\/app\//);
    expect(out).toContain('(index.js:120:7)');
  });

  it('leaves URLs and plain messages as they are', () => {
    const msg = 'PUT http://127.0.0.1:9000/certs/a/b.pdf answered 500; retry in 15 s (1/5)';
    expect(withoutServerPaths(msg)).toBe(msg);
    expect(withoutServerPaths('No template applies to this record')).toBe('No template applies to this record');
  });
});
