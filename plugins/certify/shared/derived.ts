import { formatTime, parseTime } from './time';

/**
 * Fields a certificate can show that no results file holds: computed from the record, and for
 * some from the event's finishers as a whole (`EventStats`). Templates use them like any field
 * (`{{pacePerKm}} /km`, `top {{percentile}}%`, `{{splits.[Half]}}`).
 */
export interface EventStats {
  /** The fastest finish time of the event, in seconds. */
  winnerSeconds: number | null;
  /** Records with a finish time. */
  finishers: number;
  distanceKm: number | null;
}

/** The derived fields whose value depends on other records of the event (or the event's distance). */
const EVENT_FIELDS = ['pacePerKm', 'pacePerMile', 'behindWinner', 'percentile'];
const USES_EVENT = new RegExp(`\\b(${EVENT_FIELDS.join('|')})\\b`);

/** Whether a template's text uses a field computed from the event's other records or its distance. */
export const usesEventStats = (templateText: string) => USES_EVENT.test(templateText);

/**
 * The event-dependent figures one record's certificate shows, for its render key: a certificate is
 * made again when one of its own figures changes (a new winner changes everyone's time behind),
 * not whenever the event's stats move (one more finisher changes the percentile of about fifty
 * records, not of all of them).
 */
export const eventFigures = (record: Parameters<typeof derivedFields>[0], stats: EventStats | null) => {
  const d = derivedFields(record, stats);
  return `${d.pacePerKm}/${d.pacePerMile}/${d.behindWinner}/${d.percentile}`;
};

const KM_PER_MILE = 1.609344;
const pad = (n: number) => String(n).padStart(2, '0');
/** Minutes:seconds for paces ("5:07"), hours when a pace is that slow. */
const pace = (seconds: number) => {
  const s = Math.round(seconds);
  return s >= 3600 ? formatTime(s) : `${Math.floor(s / 60)}:${pad(s % 60)}`;
};

const ageKey = (extra: Record<string, unknown>) => Object.keys(extra).find((k) => /^\s*age\s*$/i.test(k));
const SPLIT_SKIP = /^(age|year|yob|club|team|country|nation|city|state|gender|sex|division|category|pace)/i;

/**
 * The derived fields of one record. Each is '' (or an empty object) when what it needs is
 * missing, so a template's `{{#if}}` hides its line.
 */
export const derivedFields = (
  record: { finishSeconds?: unknown; rankOverall?: unknown; category?: unknown; gender?: unknown; extra?: unknown },
  stats: EventStats | null
) => {
  const seconds = record.finishSeconds === null || record.finishSeconds === undefined || record.finishSeconds === '' ? null : Number(record.finishSeconds);
  const has = seconds !== null && Number.isFinite(seconds) && seconds > 0;
  const extra = record.extra && typeof record.extra === 'object' ? (record.extra as Record<string, unknown>) : {};
  const distance = stats?.distanceKm ?? null;
  const rank = Number(record.rankOverall);

  let ageGroup = typeof record.category === 'string' ? record.category : '';
  const ageCol = ageKey(extra);
  if (!ageGroup && ageCol) {
    const age = Number(String(extra[ageCol]).trim());
    if (Number.isInteger(age) && age > 0 && age < 120) {
      const sex = typeof record.gender === 'string' ? record.gender : '';
      const lo = Math.floor(age / 5) * 5;
      ageGroup = age < 20 ? `${sex}U20` : `${sex}${lo}-${lo + 4}`;
    }
  }

  const splits: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (SPLIT_SKIP.test(key) || typeof value !== 'string' || !value.includes(':')) continue;
    const t = parseTime(value);
    if (typeof t === 'number') splits[key] = formatTime(t);
  }

  return {
    pacePerKm: has && distance ? pace(seconds / distance) : '',
    pacePerMile: has && distance ? pace((seconds / distance) * KM_PER_MILE) : '',
    behindWinner:
      has && stats?.winnerSeconds != null && seconds > stats.winnerSeconds ? `+${formatTime(seconds - stats.winnerSeconds)}` : '',
    percentile: Number.isInteger(rank) && rank > 0 && stats && stats.finishers >= rank ? Math.max(1, Math.ceil((rank / stats.finishers) * 100)) : '',
    ageGroup,
    splits,
  };
};
