import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import express, { type Request } from 'express';
import type { Logger } from 'pino';

/**
 * The address the limits per address count (guest names, chat, sockets). IPv4 as it is. IPv6 by its /64: a home, a
 * phone or a library's network gets a whole /64 and may use any address in it, so counting single IPv6 addresses
 * would let one client take a fresh one for every request.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return ip;
  const part = (text: string) => (text ? text.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head = '', tail] = bare.split('::');
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Tells the client's address of a raw request exactly as Express's `req.ip` does under the same `trust proxy`
 * setting, for requests that never pass through Express: the Socket.IO handshake. Behind an untrusted hop
 * X-Forwarded-For is ignored, so a client cannot pick its own address; a proxy that sends it while TRUST_PROXY is
 * unset is logged once, since every viewer would then share the proxy's address.
 */
export function addressResolver(trustProxy: boolean | number | string, log: Logger): (req: IncomingMessage) => string {
  // A bare app only to reuse Express's own reading of `trust proxy` and X-Forwarded-For.
  const app = express();
  app.set('trust proxy', trustProxy);
  let warned = Boolean(trustProxy);
  return (req) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      log.warn(
        'Requests carry X-Forwarded-For but TRUST_PROXY is unset: every client behind that proxy shares its address, ' +
          'and the limits per address count them together. Set TRUST_PROXY to the proxy (docs/deployment.md).',
      );
    }
    const view = Object.create(app.request, {
      headers: { value: req.headers },
      socket: { value: req.socket },
      connection: { value: req.socket },
    }) as Request;
    return addressKey(view.ip ?? req.socket.remoteAddress ?? 'unknown');
  };
}
