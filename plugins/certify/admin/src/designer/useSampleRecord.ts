import * as React from 'react';

import type { RecordView } from '../../../shared/contracts/records';
import { derivedFields, type EventStats } from '../../../shared/derived';
import { useLazyRecordsQuery, useRecordsQuery } from '../api/records';
import { useEventContext } from '../pages/EventContext';

export interface Sample {
  /** The record the preview renders, when one was found. */
  id?: string;
  data: Record<string, unknown>;
}

type EventInfo = { name: string; date: string | null; location: string | null };

const PLACEHOLDER = { name: 'Eleni Papadopoulou', bib: '1001', finishTime: '3:12:45', finishSeconds: 11565, category: 'F35-44', rankOverall: 128 };

// The derived fields (pace, time behind the winner, …) as the render computes them, from the event's own figures.
const placeholder = (event: EventInfo, stats: EventStats | null): Sample => ({
  data: { ...derivedFields(PLACEHOLDER, stats), ...PLACEHOLDER, event },
});

const fromRecord = (r: RecordView, event: EventInfo, stats: EventStats | null): Sample => ({
  id: r.documentId,
  data: { ...derivedFields(r, stats), ...r, extra: r.extra ?? {}, event, certificate: { code: r.verificationCode } },
});

/**
 * The participant the canvas and preview show: a finisher with a time and a rank (every field of
 * a typical design) until the organiser asks for a bib or name.
 */
export const useSampleRecord = (eventId: string, event: EventInfo) => {
  const firstRecords = useRecordsQuery({ eventId, query: { pageSize: 10, sort: 'bib:asc' } });
  const [findRecords] = useLazyRecordsQuery();
  const [chosen, setChosen] = React.useState<RecordView | null>(null);
  const stats = useEventContext().event.stats ?? null;

  const sample = React.useMemo(() => {
    const rows = firstRecords.data?.data ?? [];
    const r = chosen ?? rows.find((x) => x.finishTime && x.rankOverall) ?? rows[0];
    return r ? fromRecord(r, event, stats) : placeholder(event, stats);
  }, [chosen, firstRecords.data, event, stats]);

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
