import crypto from 'node:crypto';
import type { PublicCertificate } from '../../../../shared/contracts/publish';
import type { Translator } from './i18n';

/**
 * What makes a verify link worth sharing: Open Graph and Twitter card tags (absolute URLs, the
 * share image's size), a title that says what was achieved, LinkedIn's public "add
 * certification" link, a copy-link button and the phone's share sheet (Web Share API).
 */
export interface ShareData {
  title: string;
  description: string;
  url: string;
  image: { url: string; width: number | null; height: number | null } | null;
  linkedIn: string;
}

const absolute = (base: string, url: string) => (/^https?:\/\//i.test(url) ? url : `${base}${url.startsWith('/') ? '' : '/'}${url}`);

/** "Eleni Papadopoulou finished the Athens Marathon in 3:41:07" when the time is known. */
export const shareTitle = (c: PublicCertificate, i18n: Translator) => {
  const who = c.name ?? i18n.t('share.bibName', { bib: c.bib });
  return c.finishTime
    ? i18n.t('share.titleWithTime', { name: who, event: c.event.name, time: c.finishTime })
    : i18n.t('share.title', { name: who, event: c.event.name });
};

/**
 * LinkedIn's add-to-profile URL (https://www.linkedin.com/profile/add with startTask
 * CERTIFICATION_NAME): the certificate's name, the issuing organisation, the issue month and
 * the verify URL and code as the credential.
 */
export const linkedInUrl = (c: PublicCertificate, organisationName: string | null, i18n: Translator) => {
  const issued = c.issuedAt ? new Date(c.issuedAt) : null;
  const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: i18n.t('share.certificationName', { event: c.event.name }) });
  params.set('organizationName', organisationName || c.event.name);
  if (issued && !Number.isNaN(issued.getTime())) {
    params.set('issueYear', String(issued.getUTCFullYear()));
    params.set('issueMonth', String(issued.getUTCMonth() + 1));
  }
  params.set('certUrl', c.verifyUrl);
  params.set('certId', c.code);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
};

export const shareData = (
  c: PublicCertificate,
  image: { width?: number | null; height?: number | null } | null,
  organisationName: string | null,
  i18n: Translator
): ShareData => {
  const base = c.verifyUrl.replace(/\/verify\/[^/]+$/, '');
  const details = [c.category, c.event.date ? new Date(c.event.date).toISOString().slice(0, 10) : null, i18n.t('share.bibName', { bib: c.bib })].filter(Boolean).join(' · ');
  return {
    title: shareTitle(c, i18n),
    description: i18n.t('share.description', { event: c.event.name, details }),
    url: c.verifyUrl,
    image: c.imageUrl ? { url: absolute(base, c.imageUrl), width: image?.width ?? null, height: image?.height ?? null } : null,
    linkedIn: linkedInUrl(c, organisationName, i18n),
  };
};

/** The page's one script: copy the link, and the phone's share sheet where there is one. */
export const SHARE_SCRIPT = `(function(){
var u=document.querySelector('[data-share-url]');if(!u)return;var url=u.getAttribute('data-share-url'),title=u.getAttribute('data-share-title');
var c=document.getElementById('copy-link');if(c&&navigator.clipboard){c.hidden=false;c.addEventListener('click',function(){navigator.clipboard.writeText(url).then(function(){c.textContent=c.getAttribute('data-done');});});}
var s=document.getElementById('native-share');if(s&&navigator.share){s.hidden=false;s.addEventListener('click',function(){navigator.share({title:title,url:url}).catch(function(){});});}
})();`;

/** CSP source allowing exactly that script. */
export const SHARE_SCRIPT_HASH = `'sha256-${crypto.createHash('sha256').update(SHARE_SCRIPT).digest('base64')}'`;
