import type { Event } from '#shared/domain/event';
import { ApiError } from '../../app/api-client';
import type { SessionContextValue } from '../../app/contexts';
import type { Session } from '../../app/session-store';
import { forgetPersonalLink, recallPersonalLink, type PersonalLink } from './personal-link';

/**
 * Whether a registration event's page should bring the person into its live room with the personal link this tab
 * remembers: not staff (who come in with their role), not already in under their registered name, and not over.
 */
export function shouldEnterAsRegistrant(
  event: Pick<Event, 'access' | 'status'>,
  session: Session | null,
  link: PersonalLink | null,
): boolean {
  if (!link || event.access !== 'registration') return false;
  if (event.status === 'ended' || event.status === 'cancelled') return false;
  if (session?.kind === 'staff' || session?.user.role === 'registrant') return false;
  return true;
}

export interface RegistrantEntrySources {
  session(): Pick<SessionContextValue, 'session' | 'signInAsRegistrant'>;
  storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
}

/**
 * Brings a registrant into a registration event's live room under their registered name, with no name to choose:
 * the personal page (`/me`) remembers the person's link in this tab, and the event page exchanges it once for a
 * room token. A person with no confirmed seat is simply not let in (the room says the event is for registrants); a
 * link that no longer works is forgotten.
 */
export class RegistrantEntry {
  readonly #sources: RegistrantEntrySources;
  /** The events already tried: once per event and page. */
  readonly #tried = new Set<string>();

  constructor(sources: RegistrantEntrySources) {
    this.#sources = sources;
  }

  /** Call whenever the event or the session may have changed; it acts at most once per event. */
  async enter(event: Pick<Event, 'id' | 'access' | 'status'>): Promise<boolean> {
    const session = this.#sources.session();
    const link = recallPersonalLink(this.#sources.storage());
    if (this.#tried.has(event.id) || !shouldEnterAsRegistrant(event, session.session, link)) return false;
    this.#tried.add(event.id);
    try {
      await session.signInAsRegistrant(link!.token, event.id);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') forgetPersonalLink(this.#sources.storage());
      return false;
    }
  }
}
