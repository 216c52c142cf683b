/**
 * Error messages reach people who do not run the server (record `lastError` in the admin, the
 * readiness answer, API errors); a message such as "EACCES: permission denied, open
 * '/app/public/uploads/x.pdf'" would tell them how the server is laid out. The directories of
 * absolute file paths are dropped and the file name kept: what failed stays readable.
 *
 * A path counts when it starts a word (after a space, quote, bracket, `=` or `,`), so the path of
 * a URL ("http://host/a/b") is left alone.
 */
const UNIX_DIRS = /(^|[\s'"`(<[=,])\/(?:[^\s'"`()<>[\]\\/,:]+\/)+/g;
const WINDOWS_DIRS = /(^|[\s'"`(<[=,])[A-Za-z]:\\(?:[^\s'"`()<>[\]\\/,:]+\\)*/g;

export const withoutServerPaths = (message: string): string =>
  message.replace(UNIX_DIRS, '$1').replace(WINDOWS_DIRS, '$1');
