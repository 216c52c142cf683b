import { winston } from '@strapi/logger';
import type { Core } from '@strapi/strapi';

/**
 * LOG_FORMAT=json: one JSON object per line (timestamp, level, message and any fields a log call
 * passes, e.g. Certify's runId, jobIds, recordId), for log collectors. Otherwise Strapi's default
 * coloured text. LOG_LEVEL sets the level (default `http`: one line per request).
 */
const config = ({ env }: Core.Config.Shared.ConfigParams) => {
  const level = env('LOG_LEVEL', 'http');
  if (env('LOG_FORMAT', 'text') !== 'json') return { level };
  const { combine, timestamp, errors, json } = winston.format;
  return {
    level,
    format: combine(timestamp(), errors({ stack: true }), json()),
    transports: [new winston.transports.Console()],
  };
};

export default config;
