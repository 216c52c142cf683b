import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { PERMISSIONS } from '../../../shared/permissions';
import { EventPage } from './EventPage';
import { EventPickerPage } from './EventPickerPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.main}>
    <Routes>
      <Route index element={<EventPickerPage />} />
      <Route path="events/:eventId" element={<EventPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

export default App;
