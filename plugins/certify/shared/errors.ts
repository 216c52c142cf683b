/** Machine-readable error codes found in `error.details.code` of Certify API errors. */
export const ERROR_CODES = {
  planRequired: 'CERTIFY_PLAN_REQUIRED',
  eventNotFound: 'CERTIFY_EVENT_NOT_FOUND',
  duplicateBib: 'CERTIFY_DUPLICATE_BIB',
  validation: 'CERTIFY_VALIDATION',
  chromiumMissing: 'CERTIFY_CHROMIUM_MISSING',
  runInProgress: 'CERTIFY_RUN_IN_PROGRESS',
  runNotFound: 'CERTIFY_RUN_NOT_FOUND',
  recordNotFound: 'CERTIFY_RECORD_NOT_FOUND',
  certificateNotFound: 'CERTIFY_CERTIFICATE_NOT_FOUND',
  certificateRevoked: 'CERTIFY_CERTIFICATE_REVOKED',
  certificatesOffline: 'CERTIFY_CERTIFICATES_OFFLINE',
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
