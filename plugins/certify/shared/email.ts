/**
 * The one rule for an email address, used where one enters (import rows, the records API) and
 * where one is used (delivery): local@domain.tld without spaces and without the characters that
 * would let a name or a header ride along (`"Jane" <j@x.org>`, `a@b.org, c@d.org`).
 */
export const EMAIL_ADDRESS = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

export const isEmailAddress = (value: string): boolean => EMAIL_ADDRESS.test(value);
