import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** Headers a reverse proxy or load balancer adds: their presence means the request did not start on this machine. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'];

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read the metrics. They name the events people are watching, invite-only ones included, so they are never
 * public:
 * - with `METRICS_TOKEN`, any request that carries `Authorization: Bearer <token>`, and no other;
 * - without it, only requests made straight to this process from its own machine: a loopback peer and no forwarding
 *   header. A reverse proxy on the same machine connects from loopback too, which is why a forwarded request is
 *   refused even then (HAProxy's `option forwardfor`, nginx's `proxy_set_header X-Forwarded-For`: see
 *   docs/deployment.md).
 */
export function metricsAllowed(token: string | undefined): (req: IncomingMessage) => boolean {
  if (token !== undefined) {
    const expected = digest(`Bearer ${token}`);
    // Compared as digests, in constant time, so that neither the length nor the prefix of the token leaks.
    return (req) => timingSafeEqual(digest(req.headers.authorization ?? ''), expected);
  }
  return isStraightFromThisMachine;
}

/**
 * A request made straight to this process from its own machine: a loopback peer and no forwarding header (a
 * reverse proxy on the same machine connects from loopback too). Also what the ingest's hooks accept without a secret.
 */
export function isStraightFromThisMachine(req: IncomingMessage): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '') && FORWARDING_HEADERS.every((name) => req.headers[name] === undefined);
}

/**
 * `GET /metrics` in Prometheus's text format. Refused: `401` when a token is configured (a scraper with a wrong token
 * should say so), else `404`, as if there were nothing here.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  const allowed = metricsAllowed(token);
  return async (req, res) => {
    if (!allowed(req)) {
      if (token !== undefined) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(token !== undefined ? 401 : 404).type('text/plain').send(token !== undefined ? 'Unauthorized\n' : 'Not found\n');
      return;
    }
    const body = await metrics.render();
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.contentType).send(body);
  };
}
