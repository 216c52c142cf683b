import type { Core, UID } from '@strapi/strapi';
import { ERROR_CODES, PLAN_LABELS, type Plan } from '../../../../shared/errors';
import type { z } from 'zod';
import type { EventListResponse, EventView, eventListQuery } from '../../../../shared/contracts/events';
import { certifyError, getConfig } from '../../utils';
import type { Scope } from '../access';

/** A host document read through the configured field names, so its shape is known only at run time. */
type HostDoc = { documentId: string } & Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : null);
const planLabel = (p: string) => PLAN_LABELS[p as Plan] ?? p;

/**
 * The host app's events, seen through the plugin config, and the plan gate: Certify is a feature
 * of the event's organisation plan, checked on the server for every plugin route.
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const cfg = () => getConfig(strapi);

  // The event type is the host's, named in the config: its uid is a string until run time.
  const eventDocuments = () => strapi.documents(cfg().event.uid as UID.ContentType);

  const distanceOf = (v: unknown): number | null => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
    return Number.isFinite(n) && n > 0 ? n : null;
  };

  const toResolved = (doc: HostDoc): EventView => {
    const { event, organisation } = cfg();
    const org = doc[event.organisationField] as HostDoc | null | undefined;
    return {
      documentId: doc.documentId,
      name: text(doc[event.nameField]) ?? '',
      slug: text(doc[event.slugField]),
      date: text(doc[event.dateField]),
      location: text(doc.location),
      distanceKm: distanceOf(event.distanceField ? doc[event.distanceField] : null),
      organisation: org
        ? { documentId: org.documentId, name: text(org[organisation.nameField]) ?? '', plan: text(org[organisation.planField]) as Plan | null }
        : null,
    };
  };

  const lockReason = (ev: EventView): string | null => {
    const plans = cfg().plans;
    if (!ev.organisation) {
      return `Event "${ev.name}" belongs to no organisation. Assign it to an organisation on the ${plans
        .map(planLabel)
        .join(' or ')} plan to use Certify.`;
    }
    const plan = ev.organisation.plan;
    if (plan && plans.includes(plan)) return null;
    const label = plan ? planLabel(plan) : 'no plan';
    return `Certify is a ${plans.map(planLabel).join('/')} feature. Organisation "${ev.organisation.name}" is on ${label}. ${
      cfg().upgrade.text
    }`;
  };

  return {
    /** Find an event by documentId, or null. */
    async find(documentId: string): Promise<EventView | null> {
      if (!documentId || typeof documentId !== 'string') return null;
      const { event } = cfg();
      const doc = await eventDocuments().findOne({ documentId, populate: { [event.organisationField]: true } });
      return doc ? toResolved(doc) : null;
    },

    async findBySlug(slug: string): Promise<EventView | null> {
      if (!slug || typeof slug !== 'string') return null;
      const { event } = cfg();
      const doc = await eventDocuments().findFirst({
        filters: { [event.slugField]: slug },
        populate: { [event.organisationField]: true },
      });
      return doc ? toResolved(doc) : null;
    },

    lockReason,

    /**
     * The event, if it exists and its organisation's plan includes Certify; otherwise a 404 or a
     * 403 with code CERTIFY_PLAN_REQUIRED and a message that says how to unlock it.
     */
    async requireEnabled(documentId: string): Promise<EventView> {
      const ev = await this.require(documentId);
      this.assertEnabled(ev);
      return ev;
    },

    /** The event, or a 404. */
    async require(documentId: string): Promise<EventView> {
      const ev = await this.find(documentId);
      if (!ev) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Event "${documentId}" was not found.`);
      return ev;
    },

    assertEnabled(ev: EventView) {
      const reason = lockReason(ev);
      if (reason) {
        throw certifyError.forbidden(ERROR_CODES.planRequired, reason, {
          plan: ev.organisation?.plan ?? null,
          requiredPlans: cfg().plans,
          upgrade: cfg().upgrade.url ? { url: cfg().upgrade.url, label: cfg().upgrade.linkLabel } : null,
        });
      }
    },

    /**
     * Events for the picker, each with whether Certify is unlocked for it; with `organisations`,
     * only the events of those organisations (the admin's, see services/access).
     */
    async list({ search, page, pageSize }: z.output<typeof eventListQuery>, scope: Scope = { all: true }): Promise<EventListResponse> {
      const { event } = cfg();
      const filters: Record<string, unknown> = search ? { [event.nameField]: { $containsi: search } } : {};
      if (!scope.all) filters[event.organisationField] = { documentId: { $in: scope.organisations } };
      const [docs, total] = await Promise.all([
        eventDocuments().findMany({
          // The host's field names come from config, so the filters and the sort are not in
          // Strapi's generated types.
          filters: filters as never,
          populate: { [event.organisationField]: true },
          sort: [{ [event.dateField]: 'desc' }, { [event.nameField]: 'asc' }] as never,
          limit: pageSize,
          start: (page - 1) * pageSize,
        }),
        eventDocuments().count({ filters: filters as never }),
      ]);
      const results = docs.map((doc) => {
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
