import * as React from 'react';

import type { RecordView } from '../../../shared/contracts/records';
import { useLazyRecordsQuery, useRecordsQuery } from '../api/records';

export interface Sample {
  /** The record the preview renders, when one was found. */
  id?: string;
  data: Record<string, unknown>;
}

type EventInfo = { name: string; date: string | null; location: string | null };

const placeholder = (event: EventInfo): Sample => ({
  data: { name: 'Eleni Papadopoulou', bib: '1001', finishTime: '3:12:45', category: 'F35-44', rankOverall: 128, event },
});

const fromRecord = (r: RecordView, event: EventInfo): Sample => ({
  id: r.documentId,
  data: { ...r, extra: r.extra ?? {}, event, certificate: { code: r.verificationCode } },
});

/**
 * The participant the canvas and preview show: a finisher with a time and a rank (every field of
 * a typical design) until the organiser asks for a bib or name.
 */
export const useSampleRecord = (eventId: string, event: EventInfo) => {
  const firstRecords = useRecordsQuery({ eventId, query: { pageSize: 10, sort: 'bib:asc' } });
  const [findRecords] = useLazyRecordsQuery();
  const [chosen, setChosen] = React.useState<RecordView | null>(null);

  const sample = React.useMemo(() => {
    const rows = firstRecords.data?.data ?? [];
    const r = chosen ?? rows.find((x) => x.finishTime && x.rankOverall) ?? rows[0];
    return r ? fromRecord(r, event) : placeholder(event);
  }, [chosen, firstRecords.data, event]);

  /** Show the record with this bib (or the best match for a name); false when nothing matches. */
  const showBib = React.useCallback(
    async (bib: string) => {
      const res = await findRecords({ eventId, query: { search: bib, pageSize: 5 } }).unwrap();
      const r = res.data.find((x) => x.bib === bib) ?? res.data[0];
      if (r) setChosen(r);
      return Boolean(r);
    },
    [eventId, findRecords]
  );

  return { sample, showBib };
};
