/**
 * Machine-readable error codes found in `error.details.code` of Certify API errors: the one list.
 * Each "not found" names what was missing, so a client can tell a deleted record from a gone event.
 */
export const ERROR_CODES = {
  planRequired: 'CERTIFY_PLAN_REQUIRED',
  permissionRequired: 'CERTIFY_PERMISSION_REQUIRED',
  /** The admin's role limits them to their organisations' events, and this event is another's. */
  organisationForbidden: 'CERTIFY_ORGANISATION_FORBIDDEN',
  /** A template names a media file the event's organisation may not use (another's certificate). */
  mediaForbidden: 'CERTIFY_MEDIA_FORBIDDEN',
  validation: 'CERTIFY_VALIDATION',
  eventNotFound: 'CERTIFY_EVENT_NOT_FOUND',
  recordNotFound: 'CERTIFY_RECORD_NOT_FOUND',
  templateNotFound: 'CERTIFY_TEMPLATE_NOT_FOUND',
  sourceNotFound: 'CERTIFY_SOURCE_NOT_FOUND',
  importNotFound: 'CERTIFY_IMPORT_NOT_FOUND',
  runNotFound: 'CERTIFY_RUN_NOT_FOUND',
  downloadNotFound: 'CERTIFY_DOWNLOAD_NOT_FOUND',
  certificateNotFound: 'CERTIFY_CERTIFICATE_NOT_FOUND',
  fontNotFound: 'CERTIFY_FONT_NOT_FOUND',
  certificateRevoked: 'CERTIFY_CERTIFICATE_REVOKED',
  certificatesOffline: 'CERTIFY_CERTIFICATES_OFFLINE',
  duplicateBib: 'CERTIFY_DUPLICATE_BIB',
  runInProgress: 'CERTIFY_RUN_IN_PROGRESS',
  chromiumMissing: 'CERTIFY_CHROMIUM_MISSING',
  renderTimeout: 'CERTIFY_RENDER_TIMEOUT',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export const PLANS = ['trial', 'payg', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];
export const PLAN_LABELS: Record<Plan, string> = {
  trial: 'Trial',
  payg: 'Pay-as-you-go',
  pro: 'Pro',
  enterprise: 'Enterprise',
};
