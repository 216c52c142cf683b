/** Participant-facing routes (finder, download, verify); the plan gate applies here too. */
export default [
  {
    method: 'GET',
    path: '/events/:eventId/status',
    handler: 'participant.status',
    config: { auth: false, policies: ['plugin::certify.plan'] },
  },
];
