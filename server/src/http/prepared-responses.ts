import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** How long a prepared answer is served without asking the store: another process's change shows within this. */
export const PREPARED_TTL_MS = 1000;
const MAX_ENTRIES = 100;

interface Prepared {
  /** The route's label in the request metrics (`/api/events`). */
  route: string;
  version: number;
  expires: number;
  etag: string;
  body: Buffer;
  /** The headers of the 200, as the app set them (security headers, type, Vary, ETag, Cache-Control). */
  headers: OutgoingHttpHeaders;
  /** The same without the body's own headers, for a 304. */
  notModified: OutgoingHttpHeaders;
}

export interface PreparedResponsesOptions {
  /** The version of what the answers are made of (the programme's): a change on this process makes them stale. */
  version: () => number;
  /** Counts an answer served from here like any other request (the request metrics). */
  observe?: (route: string, status: number, seconds: number) => void;
  /** While true (a graceful stop), every request goes to the app, which tells clients to close their connection. */
  stopping?: () => boolean;
  now?: () => number;
}

/** A weak validator of the body, as Express makes them: `W/"<length>-<hash>"`. */
export function weakEtag(body: Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}

/** Whether an `If-None-Match` header names this validator (a list, `*`, weak or strong forms all compare weakly). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

/**
 * Anonymous answers that everyone gets the same, prepared once per change and written before the app sees the
 * request: the public programme listing, which every visitor of the programme page asks for.
 *
 * The app makes the answer the first time (validation, the store, the policy, helmet's headers), and hands its body
 * and headers here; until the programme changes on this process, or for at most {@link PREPARED_TTL_MS} (a change made
 * by another process), the same request is answered from memory: the body as a ready Buffer with its validator, or
 * `304 Not Modified` to a client that holds it. Express, its router, helmet and the access log are skipped, which is
 * most of the cost of such a small answer; the request metrics still count it. Only `GET` without `Authorization`
 * and with a URL seen before is served here, so that what anyone signed in sees never comes from this cache.
 */
export class PreparedResponses {
  private readonly entries = new Map<string, Prepared>();
  private readonly now: () => number;

  constructor(private readonly options: PreparedResponsesOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Keeps the answer the app is about to send to an anonymous `GET` of `url` (the request's whole URL, query
   * included), and sets its validator and caching headers on `res`. Returns the body to send.
   */
  prepare(url: string, route: string, res: ServerResponse, version: number, json: string): Buffer {
    const body = Buffer.from(json, 'utf8');
    const etag = weakEtag(body);
    // Browsers keep the listing but ask each time whether it changed (a 304 costs a few bytes).
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    const headers: OutgoingHttpHeaders = { ...res.getHeaders(), 'content-length': String(body.length) };
    const notModified = { ...headers };
    for (const name of ['content-length', 'content-type']) delete notModified[name];
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(url, { route, version, expires: this.now() + PREPARED_TTL_MS, etag, body, headers, notModified });
    return body;
  }

  /**
   * Answers `req` from a prepared answer when there is a fresh one for it, and returns true; false lets the app
   * answer.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || req.headers.authorization !== undefined || this.options.stopping?.()) return false;
    const hit = this.entries.get(req.url ?? '');
    if (!hit) return false;
    if (hit.version !== this.options.version() || hit.expires <= this.now()) {
      this.entries.delete(req.url ?? '');
      return false;
    }
    const started = performance.now();
    if (matches(req.headers['if-none-match'], hit.etag)) {
      res.writeHead(304, hit.notModified);
      res.end();
    } else {
      res.writeHead(200, hit.headers);
      res.end(hit.body);
    }
    this.options.observe?.(hit.route, res.statusCode, (performance.now() - started) / 1000);
    return true;
  }
}
