import * as React from 'react';
import { Badge, Flex, Tooltip, Typography } from '@strapi/design-system';
import { Pencil } from '@strapi/icons';

import type { RecordView } from '../../../shared/contracts/records';
import { msg, useT, type Message } from '../hooks/useT';
import { formatDate } from '../utils/format';

/** The fields the server tracks as edited by hand (services/records/edits.ts HAND_EDITABLE), as the organiser reads them. */
const FIELD_LABELS: Record<string, Message> = {
  name: msg('field.name', 'Full name'),
  firstName: msg('field.firstName', 'First name'),
  lastName: msg('field.lastName', 'Last name'),
  email: msg('field.email', 'Email'),
  category: msg('field.category', 'Category'),
  gender: msg('field.gender', 'Gender'),
  finishTime: msg('field.finishTime', 'Finish time'),
  rankOverall: msg('field.rankOverall', 'Overall rank'),
  rankGender: msg('field.rankGender', 'Gender rank'),
  rankCategory: msg('field.rankCategory', 'Category rank'),
  extra: msg('field.extra', 'Extra data'),
};

type Edited = Pick<RecordView, 'editedAt' | 'editedFields'>;

/** The record's hand-edited fields (none once an import replaced them). */
export const handEditedFields = (record: Edited | null | undefined): string[] =>
  Array.isArray(record?.editedFields) ? record.editedFields : [];

/** "Edited by hand 30 Nov 2026, 12:40: Full name, Category". */
const useHandEditText = (record: Edited) => {
  const t = useT();
  const fields = handEditedFields(record)
    .map((f) => (FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f))
    .join(', ');
  return t('records.handEdited', 'Edited by hand {at}: {fields}', { at: formatDate(record.editedAt, true), fields });
};

/** The list's mark on a record edited by hand; the tooltip (and its accessible name) says which fields and when. */
export const HandEditMark = ({ record }: { record: Edited }) => {
  const t = useT();
  const text = useHandEditText(record);
  if (!handEditedFields(record).length) return null;
  return (
    <Tooltip label={text}>
      <span role="img" aria-label={text} data-hand-edited="" style={{ display: 'inline-flex' }}>
        <Badge backgroundColor="alternative100" textColor="alternative700">
          <Flex gap={1} alignItems="center">
            <Pencil width="1rem" height="1rem" aria-hidden />
            {t('records.handEditedBadge', 'Edited')}
          </Flex>
        </Badge>
      </span>
    </Tooltip>
  );
};

/** The record dialog's note: which fields were edited by hand, when, and what an import does with them. */
export const HandEditNote = ({ record }: { record: Edited }) => {
  const t = useT();
  const text = useHandEditText(record);
  if (!handEditedFields(record).length) return null;
  return (
    <Typography variant="pi" textColor="alternative700" tag="p" data-hand-edited-note="">
      {text}. {t('record.handEditedImports', 'An import keeps these values unless you choose to replace them with the file.')}
    </Typography>
  );
};
