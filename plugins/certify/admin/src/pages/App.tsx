import { Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Route, Routes } from 'react-router-dom';

import { PERMISSIONS } from '../../../shared/permissions';
import { EventPage } from './EventPage';
import { setDisplayLocale } from '../utils/format';
import { EventPickerPage } from './EventPickerPage';

const App = () => {
  // Dates and numbers in the admin user's interface language, like the texts.
  setDisplayLocale(useIntl().locale);
  return (
    <Page.Protect permissions={PERMISSIONS.main}>
      <Routes>
        <Route index element={<EventPickerPage />} />
        <Route path="events/:eventId" element={<EventPage />} />
        <Route path="*" element={<Page.Error />} />
      </Routes>
    </Page.Protect>
  );
};

export default App;
