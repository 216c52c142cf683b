import type { Core } from '@strapi/strapi';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getService } from '../../utils';
import type { Answer } from '.';

/** The paths the Strapi server serves under /api/certify, with the same answers. */
const ROUTES: Record<string, (strapi: Core.Strapi, req: http.IncomingMessage) => Answer | Promise<Answer>> = {
  '/api/certify/health/live': (strapi) => getService(strapi, 'health').live(),
  '/api/certify/health/ready': (strapi) => getService(strapi, 'health').ready(),
  '/api/certify/metrics': (strapi, req) => getService(strapi, 'metrics').scrape(req.headers.authorization),
};

const send = (res: http.ServerResponse, answer: Answer) => {
  const text = typeof answer.body === 'string';
  res.writeHead(answer.status, {
    'Content-Type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...answer.headers,
  });
  res.end(text ? answer.body : JSON.stringify(answer.body));
};

/**
 * A worker (`npm run worker`) has no Strapi HTTP server; this one answers the health and metrics
 * paths only, so orchestrators and Prometheus reach workers the way they reach web processes.
 */
export function serveHealth(strapi: Core.Strapi, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const route = req.method === 'GET' || req.method === 'HEAD' ? ROUTES[(req.url ?? '').split('?')[0]] : undefined;
    if (!route) return send(res, { status: 404, body: { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } } });
    Promise.resolve()
      .then(() => route(strapi, req))
      .then(
        (answer) => send(res, answer),
        (err) => {
          strapi.log.error(`[certify] worker health server: ${(err as Error).message}`);
          send(res, { status: 500, body: { data: null, error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error', details: {} } } });
        }
      );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: bound } = server.address() as AddressInfo;
      strapi.log.info(`[certify] worker health and metrics on http://${host}:${bound}/api/certify/health/ready`);
      resolve(server);
    });
  });
}
