import type { Core } from '@strapi/strapi';
import type { SetupState } from '../../../../shared/contracts/events';
import { UID } from '../../constants';

/**
 * Progressive disclosure: an event is set up once it has a source, a template and a record.
 * Before that the admin shows Overview + Setup, after it Overview, Certificate, Records, Publish.
 */
const setup = ({ strapi }: { strapi: Core.Strapi }) => ({
  async state(eventId: string): Promise<SetupState> {
    const where = { event: eventId };
    const [sources, templates, records, published] = await Promise.all([
      strapi.db.query(UID.source).count({ where }),
      strapi.db.query(UID.template).count({ where }),
      strapi.db.query(UID.record).count({ where }),
      strapi.db.query(UID.record).count({ where: { ...where, status: 'published' } }),
    ]);
    const hasSource = sources > 0;
    const hasTemplate = templates > 0;
    const hasRecord = records > 0;
    const setupComplete = hasSource && hasTemplate && hasRecord;
    const nextStep = !hasSource ? 'source' : !hasTemplate ? 'template' : !hasRecord ? 'records' : null;
    return {
      eventId,
      hasSource,
      hasTemplate,
      hasRecord,
      setupComplete,
      nextStep,
      counts: { sources, templates, records, published },
      tabs: setupComplete ? ['overview', 'certificate', 'records', 'publish'] : ['overview', 'setup'],
    };
  },
});

export type SetupService = ReturnType<typeof setup>;
export default setup;
