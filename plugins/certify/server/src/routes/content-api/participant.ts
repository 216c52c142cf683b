/**
 * Participant-facing routes (finder, download, verify). The plan gate applies to all of them:
 * by `:eventId` through the policy, by slug or verification code inside the service.
 */
const open = (method: 'GET', path: string, handler: string, policies: string[] = []) => ({
  method,
  path,
  handler,
  config: { auth: false, policies },
});

export default [
  open('GET', '/events/:eventId/status', 'participant.status', ['plugin::certify.plan']),
  open('GET', '/events/:slug/certificates', 'participant.find'),
  open('GET', '/certificates/:code', 'participant.verify'),
  open('GET', '/certificates/:code/pdf', 'participant.pdf'),
  open('GET', '/certificates/:code/image', 'participant.image'),
];
