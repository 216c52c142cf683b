import type { Core } from '@strapi/strapi';
import { UID, TABLE } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import { isEmailAddress } from '../../../../shared/email';
import { certifyError, getConfig, getService, publicUrl } from '../../utils';
import type { JobHandler, JobOutcome } from '../queue';

type AnyRecord = Record<string, any>;

export const DEFAULT_SUBJECT = 'Your certificate for {{event}}';
export const DEFAULT_BODY =
  'Hello {{name}},\n\nyour certificate for {{event}} (bib {{bib}}) is ready: {{url}}\n\nVerify it at {{verifyUrl}}\n';

/** Header values never carry line breaks (no header injection through names or subjects). */
const oneLine = (s: unknown) => String(s ?? '').replace(/[\r\n\u0085\u2028\u2029\t\v\f]+/g, ' ').trim();
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fill = (template: string, vars: Record<string, string>) =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => (k in vars ? vars[k] : ''));

export type SendOutcome = { status: 'sent' | 'failed' | 'bounced' | 'skipped' | 'already-sent' | 'retry'; error?: string };

/**
 * A send that failed on the way rather than being refused: the SMTP server down or unreachable, a
 * connection dropped or timed out, or a temporary (4xx) answer. Sent again later, not failed.
 */
const isPassing = (err: { code?: unknown; responseCode?: unknown } | null | undefined) => {
  const code = Number(err?.responseCode);
  if (code >= 400 && code < 500) return true;
  return ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH'].includes(String(err?.code ?? ''));
};

/**
 * Certificate emails through Strapi's email plugin. A send is reserved on the record first
 * (`emailedHash` = the certificate version, conditional update), so a retried or duplicated job
 * never sends a version twice; a failed send clears the reservation and can be retried.
 */
const delivery = ({ strapi }: { strapi: Core.Strapi }) => {
  let nextSlot = 0;
  const cfg = () => getConfig(strapi);

  /** Spaces sends out to at most `email.perSecond` per second in this process. */
  const rateLimit = async () => {
    const gap = 1000 / Math.max(0.1, cfg().email.perSecond || 10);
    const now = Date.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + gap;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };

  /** The queue's handler of `email` jobs: one send per job, an outcome per send. */
  const emailWorker: JobHandler = {
    async work(jobs) {
      const runs = await strapi.db.query(UID.publishRun).findMany({ where: { documentId: { $in: [...new Set(jobs.map((j) => j.run).filter(Boolean))] } } });
      const options = new Map<string, AnyRecord>(runs.map((r: AnyRecord) => [r.documentId, r.options ?? {}]));
      const outcomes: JobOutcome[] = [];
      for (const job of jobs) {
        const opts = (job.run && options.get(job.run)) || {};
        try {
          const out = await service.send(job.record_id, { subject: opts.emailSubject, body: opts.emailBody, attach: opts.attach });
          const ok = ['sent', 'already-sent', 'skipped'].includes(out.status);
          outcomes.push({ id: job.id, status: ok ? 'done' : out.status === 'retry' ? 'retry' : 'failed', error: out.error });
        } catch (err) {
          outcomes.push({ id: job.id, status: 'failed', error: (err as Error).message });
        }
      }
      return outcomes;
    },

    /** Sends that kept failing on the way (SMTP down for longer than the attempts last). */
    async gaveUp(spent) {
      for (const { job, message } of spent) {
        await strapi.db
          .connection(TABLE.record)
          .where({ document_id: job.record_id })
          .whereNull('emailed_hash')
          .update({ email_status: 'failed', email_error: oneLine(message).slice(0, 1000) });
      }
    },
  };

  const service = {
    async send(recordDocumentId: string, options: { subject?: string; body?: string; attach?: boolean } = {}): Promise<SendOutcome> {
      const record = await strapi.db.query(UID.record).findOne({ where: { documentId: recordDocumentId }, populate: { pdf: true } });
      if (!record) throw certifyError.notFound(ERROR_CODES.recordNotFound, `Record "${recordDocumentId}" was not found.`);
      if (!record.renderedHash || !record.pdf) {
        throw certifyError.validation('This record has no published certificate yet: publish the event first, then send the email.');
      }
      const address = String(record.email ?? '');
      if (!address) return { status: 'skipped', error: 'The record has no email address.' };
      if (/[\r\n]/.test(address) || !isEmailAddress(address)) {
        const error = `The email address "${oneLine(address)}" is not valid: fix it on the record and retry.`;
        await strapi.db.connection(TABLE.record).where({ id: record.id }).update({ email_status: 'failed', email_error: error });
        getService(strapi, 'metrics').emailSettled('failed');
        return { status: 'failed', error };
      }
      const version = record.renderedHash as string;
      const reserved = await strapi.db
        .connection(TABLE.record)
        .where({ id: record.id })
        .where((q) => q.whereNull('emailed_hash').orWhereNot('emailed_hash', version))
        .update({ emailed_hash: version, email_status: 'queued', email_error: null });
      if (!reserved) return { status: 'already-sent' };

      const event = await getService(strapi, 'events').find(record.event);
      const vars = {
        name: oneLine(record.name || [record.firstName, record.lastName].filter(Boolean).join(' ')),
        event: oneLine(event?.name ?? ''),
        bib: oneLine(record.bib),
        url: publicUrl(strapi, `/api/certify/certificates/${record.verificationCode}/pdf`),
        verifyUrl: publicUrl(strapi, `/verify/${record.verificationCode}`),
      };
      const subject = oneLine(fill(options.subject || DEFAULT_SUBJECT, vars)).slice(0, 250);
      const text = fill(options.body || DEFAULT_BODY, vars);
      const html = `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
      try {
        const attachments =
          options.attach === false
            ? undefined
            : [{ filename: `certificate-${vars.bib.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`, content: await getService(strapi, 'media').read(record.pdf), contentType: 'application/pdf' }];
        await rateLimit();
        await strapi.plugin('email').service('email').send({
          to: { name: vars.name, address } as any,
          from: cfg().email.from || undefined,
          subject,
          text,
          html,
          attachments,
          messageId: `<${record.documentId}.${version}@certify>`,
        } as any);
        await strapi.db.connection(TABLE.record).where({ id: record.id, emailed_hash: version }).update({ email_status: 'sent' });
        getService(strapi, 'metrics').emailSettled('sent');
        return { status: 'sent' };
      } catch (err: any) {
        const code = Number(err?.responseCode);
        const error = oneLine(err?.message ?? err).slice(0, 1000);
        // The reservation is given up either way: a later attempt (or the admin's button) sends.
        if (isPassing(err)) {
          await strapi.db
            .connection(TABLE.record)
            .where({ id: record.id, emailed_hash: version })
            .update({ email_status: 'queued', email_error: `Will be sent again: ${error}`.slice(0, 1000), emailed_hash: null });
          return { status: 'retry', error };
        }
        const status = code >= 500 && code < 600 ? 'bounced' : 'failed';
        await strapi.db
          .connection(TABLE.record)
          .where({ id: record.id, emailed_hash: version })
          .update({ email_status: status, email_error: error, emailed_hash: null });
        getService(strapi, 'metrics').emailSettled(status);
        return { status, error };
      }
    },

    bootstrap() {
      getService(strapi, 'queue').handle('email', emailWorker);
    },
  };
  return service;
};

export type DeliveryService = ReturnType<typeof delivery>;
export default delivery;
