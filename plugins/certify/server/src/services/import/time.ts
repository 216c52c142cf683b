/** Race times are read and written in one place, shared with the admin: see shared/time.ts. */
export { formatTime, isMissingTime, parseTime, type TimeFormat } from '../../../../shared/time';
