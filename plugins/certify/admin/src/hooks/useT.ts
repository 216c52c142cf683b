import * as React from 'react';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

type Values = Record<string, string | number | boolean | null | undefined | Date>;

/** A plugin text named in a table (tabs, steps, options), translated later with `t(message)`. */
export interface Message {
  id: string;
  defaultMessage: string;
}

/**
 * `msg('tabs.records', 'Records')`: a text kept in a table. Ids are always written out in full
 * (never built from variables), so the translations test can find every one in the sources.
 */
export const msg = (id: string, defaultMessage: string): Message => ({ id, defaultMessage });

/**
 * `t('records.title', 'Records')` or `t(message, values)`: a plugin text (`certify.<id>`) in the
 * admin user's interface language (translations/<locale>.json), English when it has none.
 */
export interface Translate {
  (id: string, defaultMessage: string, values?: Values): string;
  (message: Message, values?: Values): string;
}

export const useT = (): Translate => {
  const { formatMessage } = useIntl();
  return React.useCallback<Translate>(
    ((id: string | Message, defaultOrValues?: string | Values, values?: Values) => {
      const message = typeof id === 'string' ? { id, defaultMessage: defaultOrValues as string } : id;
      const vars = typeof id === 'string' ? values : (defaultOrValues as Values | undefined);
      return formatMessage({ id: getTranslation(message.id), defaultMessage: message.defaultMessage }, vars as Record<string, string>);
    }) as Translate,
    [formatMessage]
  );
};
