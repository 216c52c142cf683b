import type { Core, UID } from '@strapi/strapi';
import { ERROR_CODES } from '../../../../shared/errors';
import { ORGANISATION_CONDITION, type CertifyAction } from '../../../../shared/permissions';
import type { EventView } from '../../../../shared/contracts/events';
import { certifyError, getConfig, getService } from '../../utils';
import type { MediaFile } from '../media/files';

/**
 * The property of the object the condition is matched against: an event's organisation
 * (documentId). Strapi matches a condition's query in memory (sift), so the same rule answers
 * "may this user act on this event" and, organisation by organisation, "which events may they list".
 */
const ORGANISATION_KEY = 'certifyOrganisation';
const SUPER_ADMIN = 'strapi-super-admin';

/** What Certify reads of the admin user Strapi's admin auth leaves on `ctx.state.user`. */
export interface AdminUser {
  id: number;
  roles?: Array<{ code?: string | null }>;
}

/** The CASL ability Strapi builds from the user's roles (`ctx.state.userAbility`), as far as Certify uses it. */
export interface AdminAbility {
  can(action: string, subject?: unknown): boolean;
  rulesFor(action: string, subjectType: string): Array<{ conditions?: unknown; inverted?: boolean }>;
}

/** Who is asking: what the admin auth strategy leaves on the request's state. */
export interface AdminState {
  user?: AdminUser;
  userAbility?: AdminAbility;
}

/** Which organisations' events a user may act on with an action: all, or those listed. */
export type Scope = { all: true } | { all: false; organisations: string[] };

/** An object of type "all" (what Certify's actions, which have no subject, are registered on). */
const organisationSubject = (organisation: string | null) => ({ __caslSubjectType__: 'all', [ORGANISATION_KEY]: organisation });

/**
 * Organisations and their organisers: the RBAC condition "Is a member of the event's organisation"
 * and its enforcement. A role whose Certify permission carries the condition acts only on the
 * events of organisations whose members field (`organisation.membersField`) lists the user; a role
 * whose permission has no condition acts on every event; Super Admins see everything.
 */
const access = ({ strapi }: { strapi: Core.Strapi }) => {
  /** Why the configured members field cannot list admin users, or null when it can. */
  const membersFieldProblem = (): string | null => {
    const { uid, membersField } = getConfig(strapi).organisation;
    const type = strapi.contentTypes[uid as UID.ContentType] as { attributes: Record<string, { type?: string; target?: string }> } | undefined;
    if (!type) return `the organisation type ${uid} does not exist`;
    const attr = type.attributes[membersField];
    if (attr?.type !== 'relation' || attr.target !== 'admin::user') return `${uid} has no relation "${membersField}" to admin::user`;
    return null;
  };

  /** documentIds of the organisations that list the admin user among their members. */
  const memberOrganisations = async (userId: number): Promise<string[]> => {
    const { uid, membersField } = getConfig(strapi).organisation;
    // Misconfigured (bootstrap logged why): nobody is a member of anything, rather than a 500.
    if (membersFieldProblem()) return [];
    const rows = (await strapi.db.query(uid as UID.Schema).findMany({
      where: { [membersField]: { id: userId } },
      select: ['documentId'],
    })) as Array<{ documentId: string }>;
    return [...new Set(rows.map((r) => r.documentId))];
  };

  const isSuperAdmin = (user: AdminUser | undefined) => Boolean(user?.roles?.some((r) => r.code === SUPER_ADMIN));

  /** Whether one of the user's permissions for the action carries no condition (so applies to all events). */
  const unconditioned = (ability: AdminAbility, action: CertifyAction) =>
    ability.rulesFor(action, 'all').some((rule) => !rule.inverted && !rule.conditions);

  const abilityOf = (state: AdminState): AdminAbility => {
    // Only a route declared without admin::isAuthenticatedAdmin gets here without one: a bug.
    if (!state.userAbility) throw new Error('[certify] admin route without an authenticated admin');
    return state.userAbility;
  };

  /**
   * The events a media file belongs to: the event whose certificate folder holds it, and the events
   * of host photos showing it. Any other media (a logo, a background) belongs to none.
   */
  const eventsOfFile = async (file: MediaFile): Promise<string[]> => {
    const owners = new Set<string>();
    const certificateOf = await getService(strapi, 'media').certificateEventOf(file);
    if (certificateOf !== null) owners.add(certificateOf);
    const { photo } = getConfig(strapi);
    if (strapi.contentTypes[photo.uid as UID.ContentType]) {
      const photos = (await strapi.db.query(photo.uid as UID.Schema).findMany({
        where: { [photo.imageField]: { id: file.id } },
        populate: { [photo.eventField]: { select: ['documentId'] } },
      })) as Array<Record<string, { documentId?: string } | null>>;
      for (const p of photos) owners.add(p[photo.eventField]?.documentId ?? '');
    }
    return [...owners];
  };

  return {
    async bootstrap() {
      const problem = membersFieldProblem();
      if (problem) {
        strapi.log.warn(
          `[certify] organisation.membersField: ${problem}. Roles with the condition "Is a member of the event's organisation" see no events until it names a relation to admin::user.`
        );
      }
      await strapi.service('admin::permission').conditionProvider.register({
        displayName: "Is a member of the event's organisation",
        name: ORGANISATION_CONDITION.name,
        plugin: ORGANISATION_CONDITION.plugin,
        category: 'Certify',
        handler: async (user: AdminUser) => ({ [ORGANISATION_KEY]: { $in: await memberOrganisations(user.id) } }),
      });
    },

    memberOrganisations,

    /** The organisations whose events the user may act on with every one of `actions`. */
    async scope(state: AdminState, actions: CertifyAction[]): Promise<Scope> {
      const ability = abilityOf(state);
      if (isSuperAdmin(state.user) || actions.every((a) => unconditioned(ability, a))) return { all: true };
      const candidates = state.user ? await memberOrganisations(state.user.id) : [];
      const organisations = candidates.filter((org) => actions.every((a) => ability.can(a, organisationSubject(org))));
      return { all: false, organisations };
    },

    /**
     * A template of `eventId` may show a media file unless it belongs to an event of another
     * organisation (a certificate made for it, or one of its participants' photos): otherwise a
     * 403 CERTIFY_MEDIA_FORBIDDEN naming the template's `field` (file ids are sequential, so
     * guessing one must not render someone else's certificate).
     */
    async assertMediaUsable(eventId: string, file: MediaFile, field: string) {
      const owners = (await eventsOfFile(file)).filter((owner) => owner !== eventId);
      if (!owners.length) return;
      const events = getService(strapi, 'events');
      const organisationOf = async (id: string) => (id ? ((await events.find(id))?.organisation?.documentId ?? null) : null);
      const own = await organisationOf(eventId);
      for (const owner of owners) {
        if (own !== null && (await organisationOf(owner)) === own) continue;
        throw certifyError.forbidden(
          ERROR_CODES.mediaForbidden,
          `${field}: media file ${file.id} ("${file.name ?? file.url}") belongs to an event of another organisation; pick an image uploaded for this event's organisation`,
          { field, fileId: file.id }
        );
      }
    },

    /**
     * Throws 403 CERTIFY_ORGANISATION_FORBIDDEN unless the user may act on the event with every one
     * of `actions` (the route's RBAC actions).
     */
    assertEvent(state: AdminState, actions: CertifyAction[], event: EventView) {
      const ability = abilityOf(state);
      if (isSuperAdmin(state.user)) return;
      const subject = organisationSubject(event.organisation?.documentId ?? null);
      if (actions.every((a) => ability.can(a, subject))) return;
      throw certifyError.forbidden(
        ERROR_CODES.organisationForbidden,
        `You are not a member of the organisation of event "${event.name}". Ask an administrator to add you to ${
          event.organisation ? `"${event.organisation.name}"` : 'its organisation'
        }, or to remove the organisation condition from your role.`,
        { eventId: event.documentId }
      );
    },
  };
};

export type AccessService = ReturnType<typeof access>;
export default access;
