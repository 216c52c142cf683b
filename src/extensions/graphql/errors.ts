import path from 'path';

/** The parts of a GraphQL error a client sees (graphql-js's GraphQLFormattedError). */
interface FormattedError {
  message: string;
  locations?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
  toJSON?: () => FormattedError;
}
type FormatError = (formatted: FormattedError, error: unknown) => FormattedError;

/**
 * Strapi's own formatter gives errors their codes (FORBIDDEN, BAD_USER_INPUT, STRAPI_*) and
 * details; a configured `formatError` replaces it, so it is composed, not dropped. The GraphQL
 * plugin does not export it: it is loaded by file from the pinned version.
 */
const strapiFormatError = (): FormatError => {
  const dir = path.dirname(require.resolve('@strapi/plugin-graphql/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(path.join(dir, 'dist', 'server', 'format-graphql-error.js')).formatGraphqlError;
};

/**
 * GraphQL errors as clients see them outside development: no `extensions.stacktrace` (stack
 * frames name server paths), and an unexpected error says "Internal Server Error" only. Strapi
 * keeps the original message of an unexpected error in `extensions.error.message`, where a file
 * system or database error would show paths, queries and the like; it is logged on the server.
 */
export const clientSafeFormatError = ({ development }: { development: boolean }): FormatError => {
  const strapiFormat = strapiFormatError();
  return (formatted, error) => {
    const out = strapiFormat(formatted, error);
    if (development) return out;
    const json = typeof out.toJSON === 'function' ? out.toJSON() : out;
    const { stacktrace: _stack, ...extensions } = json.extensions ?? {};
    if (extensions.code === 'INTERNAL_SERVER_ERROR') {
      extensions.error = { name: 'InternalServerError', message: 'Internal Server Error' };
    }
    return { ...json, extensions };
  };
};
