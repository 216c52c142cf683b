import type { Core } from '@strapi/strapi';
import { ERROR_CODES, PLAN_LABELS, type Plan } from '../../../../shared/errors';
import type { EventSummary } from '../../../../shared/contracts/events';
import { certifyError, getConfig } from '../../utils';

type AnyDoc = Record<string, any>;

export interface ResolvedEvent {
  documentId: string;
  name: string;
  slug: string | null;
  date: string | null;
  location: string | null;
  organisation: { documentId: string; name: string; plan: Plan | null } | null;
}

/**
 * The host app's events, seen through the plugin config, and the plan gate: Certify is a feature
 * of the event's organisation plan, checked on the server for every plugin route.
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const cfg = () => getConfig(strapi);

  const toResolved = (doc: AnyDoc): ResolvedEvent => {
    const { event, organisation } = cfg();
    const org = doc[event.organisationField] as AnyDoc | null | undefined;
    return {
      documentId: doc.documentId,
      name: doc[event.nameField] ?? '',
      slug: doc[event.slugField] ?? null,
      date: doc[event.dateField] ?? null,
      location: doc.location ?? null,
      organisation: org
        ? { documentId: org.documentId, name: org[organisation.nameField] ?? '', plan: org[organisation.planField] ?? null }
        : null,
    };
  };

  const lockReason = (ev: ResolvedEvent): string | null => {
    const plans = cfg().plans;
    if (!ev.organisation) {
      return `Event "${ev.name}" belongs to no organisation. Assign it to an organisation on the ${plans
        .map((p) => PLAN_LABELS[p as Plan] ?? p)
        .join(' or ')} plan to use Certify.`;
    }
    const plan = ev.organisation.plan;
    if (plan && plans.includes(plan)) return null;
    const label = plan ? PLAN_LABELS[plan] ?? plan : 'no plan';
    return `Certify is a ${plans.map((p) => PLAN_LABELS[p as Plan] ?? p).join('/')} feature. Organisation "${
      ev.organisation.name
    }" is on ${label}: upgrade it to Pro or Enterprise (Credits → Upgrade) to unlock certificates for this event.`;
  };

  return {
    /** Find an event by documentId, or null. */
    async find(documentId: string): Promise<ResolvedEvent | null> {
      if (!documentId || typeof documentId !== 'string') return null;
      const { event } = cfg();
      const doc = await strapi.documents(event.uid as any).findOne({
        documentId,
        populate: { [event.organisationField]: true } as any,
      });
      return doc ? toResolved(doc as AnyDoc) : null;
    },

    async findBySlug(slug: string): Promise<ResolvedEvent | null> {
      if (!slug || typeof slug !== 'string') return null;
      const { event } = cfg();
      const doc = await strapi.documents(event.uid as any).findFirst({
        filters: { [event.slugField]: slug } as any,
        populate: { [event.organisationField]: true } as any,
      });
      return doc ? toResolved(doc as AnyDoc) : null;
    },

    lockReason,

    /**
     * The event, if it exists and its organisation's plan includes Certify; otherwise a 404 or a
     * 403 with code CERTIFY_PLAN_REQUIRED and a message that says how to unlock it.
     */
    async requireEnabled(documentId: string): Promise<ResolvedEvent> {
      const ev = await this.find(documentId);
      if (!ev) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Event "${documentId}" was not found.`);
      this.assertEnabled(ev);
      return ev;
    },

    assertEnabled(ev: ResolvedEvent) {
      const reason = lockReason(ev);
      if (reason) {
        throw certifyError.forbidden(ERROR_CODES.planRequired, reason, {
          plan: ev.organisation?.plan ?? null,
          requiredPlans: cfg().plans,
        });
      }
    },

    /** Events for the picker, each with whether Certify is unlocked for it. */
    async list(params: { search?: string; page?: number; pageSize?: number } = {}): Promise<{
      results: EventSummary[];
      pagination: { page: number; pageSize: number; total: number };
    }> {
      const { event } = cfg();
      const page = Math.max(1, Number(params.page) || 1);
      const pageSize = Math.min(100, Math.max(1, Number(params.pageSize) || 25));
      const filters = params.search ? { [event.nameField]: { $containsi: params.search } } : {};
      const [docs, total] = await Promise.all([
        strapi.documents(event.uid as any).findMany({
          filters: filters as any,
          populate: { [event.organisationField]: true } as any,
          sort: [{ [event.dateField]: 'desc' }, { [event.nameField]: 'asc' }] as any,
          limit: pageSize,
          start: (page - 1) * pageSize,
        }),
        strapi.documents(event.uid as any).count({ filters: filters as any }),
      ]);
      const results = (docs as AnyDoc[]).map((doc) => {
        const ev = toResolved(doc);
        const reason = lockReason(ev);
        return { ...ev, certifyEnabled: !reason, lockReason: reason };
      });
      return { results, pagination: { page, pageSize, total } };
    },
  };
};

export type EventsService = ReturnType<typeof events>;
export default events;
