import { Router } from 'express';
import { z } from 'zod';
import { EventQuery, type Event } from '#shared/domain/event';
import type { EventAnswer, PublicSignUp } from '#shared/domain/registration';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from './programme.service';

const IdParam = z.object({ id: z.string().min(1).max(100) });

/** How long the anonymous programme listing is served from memory. */
const LISTING_CACHE_MS = 1000;
const LISTING_CACHE_ENTRIES = 100;

/**
 * The programme page of every anonymous visitor asks for the same listing. Serving its serialised body from memory
 * for a second turns a store read and a 6 KB JSON serialisation per request into a map lookup; a write made by this
 * process invalidates it at once, one made by another process within the second.
 */
class ListingCache {
  private readonly entries = new Map<string, { body: string; version: number; expires: number }>();

  get(key: string, version: number): string | undefined {
    const hit = this.entries.get(key);
    return hit && hit.version === version && hit.expires > Date.now() ? hit.body : undefined;
  }

  set(key: string, version: number, body: string): void {
    if (this.entries.size >= LISTING_CACHE_ENTRIES) this.entries.clear();
    this.entries.set(key, { body, version, expires: Date.now() + LISTING_CACHE_MS });
  }
}

/**
 * The public programme. Anyone reads it; unlisted and invite-only events are left out of the listing (each is still
 * reached by its id), and the stream and replay of an invite-only event are only in the answers for its staff and
 * admins (who send their token).
 */
export function programmeRoutes(
  programme: ProgrammeService,
  policy: AccessPolicy,
  http: HttpAuth,
  /**
   * What anyone may know of a registration event's sign-up (seats, retention, outside room): `GET /api/events/:id`
   * answers it beside the event.
   */
  signUpOf: (event: Event) => Promise<PublicSignUp> = async () => ({}),
): Router {
  const router = Router();
  const anonymousListings = new ListingCache();

  router.get('/events', async (req, res) => {
    const user = await http.user(req);
    const query = EventQuery.parse(req.query);
    // The events left out of the public programme are listed for the admins who manage them, and no one else.
    if (query.include === 'unlisted') policy.assertAdmin(user);
    res.setHeader('Vary', 'Authorization');
    if (user !== null) {
      res.json({ events: await policy.visibleEvents(user, await programme.listEvents(query)) });
      return;
    }
    const key = JSON.stringify([query.from, query.to, query.kind, query.series]);
    const version = programme.version;
    let body = anonymousListings.get(key, version);
    if (body === undefined) {
      body = JSON.stringify({ events: await policy.visibleEvents(null, await programme.listEvents(query)) });
      anonymousListings.set(key, version, body);
    }
    res.type('application/json').send(body);
  });

  router.get('/events/:id', async (req, res) => {
    const user = await http.user(req);
    const { id } = IdParam.parse(req.params);
    const [event] = await policy.visibleEvents(user, [await programme.getEvent(id)]);
    const body: EventAnswer = { event: event!, ...(await signUpOf(event!)) };
    res.setHeader('Vary', 'Authorization');
    res.json(body);
  });

  router.get('/series', async (_req, res) => {
    res.json({ series: await programme.listSeries() });
  });

  return router;
}
