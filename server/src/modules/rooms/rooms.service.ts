import type { Event } from '#shared/domain/event';
import { ROOM_LEAD_MINUTES, type RoomJoin, type RoomRefusal } from '#shared/domain/room';
import { isEventStaff, isRoomStaff } from '#shared/domain/staff';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { Clock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import type { PersonRecord } from '../../store/registration-store';
import type { Store } from '../../store/store';
import type { AccessPolicy } from '../access/policy';
import { personIdOf, REGISTRANT_ID_PREFIX } from '../access/token.service';
import type { RegistrationService } from '../registrations/registration.service';
import type { RoomAccessExtension } from './room-access-extension';
import type { RoomMember, RoomProvider, RoomSpec } from './room-provider';

/** A token stays good this long past the end, so that a workshop running a little late is not cut off mid-sentence. */
export const ROOM_GRACE_MINUTES = 15;
/** How many may send audio and video at once in a workshop room when the event has no capacity. */
export const DEFAULT_MAX_PUBLISHERS = 12;

export interface RoomsDeps {
  store: Store;
  policy: AccessPolicy;
  registrations: RegistrationService;
  /** Undefined or not `available()`: rooms are off or Janus is missing, and room events fall back to their joinUrl. */
  provider: RoomProvider | undefined;
  available(): boolean;
  clock: Clock;
  /** ROOM_LEAD_MINUTES: the room answers from this long before the start. */
  leadMinutes?: number;
  extension?: RoomAccessExtension | undefined;
}

/** Who asks for the room: a person through their personal link, or a signed-in user (staff, or a registrant's token). */
export type RoomCaller = { person: PersonRecord } | { user: User };

const refuse = (code: ErrorCode, reason: RoomRefusal, message: string, retryAfterMs?: number) =>
  new DomainError(code, message, retryAfterMs, reason);

/**
 * Who may enter an event's Parvis room, and when (docs/rooms.md): confirmed registrants (or members an extension
 * names) and the event's staff, from the lead before the start until the end. Rooms are opened and closed by the
 * scheduler's tick ({@link RoomsService.tick}) and on demand here, never by timers of a process.
 */
export class RoomsService {
  private readonly leadMs: number;

  constructor(private readonly deps: RoomsDeps) {
    this.leadMs = (deps.leadMinutes ?? ROOM_LEAD_MINUTES) * 60_000;
  }

  /** `GET /api/events/:id/room`: what this caller's browser needs to join, or a refusal with its reason. */
  async join(eventId: string, caller: RoomCaller, origin: string): Promise<RoomJoin> {
    const event = await this.roomEvent(eventId);
    const member = await this.admit(event, caller);
    const now = this.deps.clock.now();
    const opensAt = Date.parse(event.startsAt) - this.leadMs;
    if (event.status === 'cancelled' || event.status === 'ended' || now.getTime() >= Date.parse(event.endsAt)) {
      throw refuse(ErrorCode.CONFLICT, 'room-ended', 'This event is over: its room is closed');
    }
    if (now.getTime() < opensAt) {
      throw refuse(ErrorCode.CONFLICT, 'too-early', 'The room opens shortly before the start', opensAt - now.getTime());
    }
    const provider = this.provider();
    const spec = this.spec(event);
    await provider.open(spec);
    const expiresAt = new Date(Date.parse(event.endsAt) + ROOM_GRACE_MINUTES * 60_000);
    const grant = await provider.grant(spec, member, expiresAt, origin);
    if (member.personId) await this.deps.registrations.markJoined(registrantUser(member.personId, member.display), event.id);
    return {
      ...grant,
      display: member.display,
      host: member.host,
      iceServers: provider.iceServers(),
      opensAt: new Date(opensAt).toISOString(),
      endsAt: event.endsAt,
    };
  }

  /** The host removes someone: out now, and refused by this room afterwards. Moderators of the event and admins. */
  async remove(eventId: string, user: User | null, participantId: number): Promise<void> {
    await this.deps.policy.assertCanModerate(user, eventId);
    const event = await this.roomEvent(eventId);
    await this.provider().remove(event.id, participantId);
  }

  /** The host mutes someone's microphone. Moderators of the event and admins. */
  async mute(eventId: string, user: User | null, participantId: number): Promise<void> {
    await this.deps.policy.assertCanModerate(user, eventId);
    const event = await this.roomEvent(eventId);
    await this.provider().mute(event.id, participantId);
  }

  /**
   * One tick of the scheduler: opens the rooms of events starting within the lead (or under way), closes those of
   * events that ended or were cancelled in the last hours. Times come from the store and every step is idempotent, so
   * every process may tick.
   */
  async tick(now: Date): Promise<void> {
    const provider = this.deps.provider;
    if (!provider || !this.deps.available()) return;
    const events = await this.deps.store.programme.listEvents({
      from: new Date(now.getTime() - CLOSE_WINDOW_MS).toISOString(),
      to: new Date(now.getTime() + this.leadMs).toISOString(),
    });
    for (const event of events) {
      if (event.room !== 'parvis') continue;
      const over = event.status === 'cancelled' || event.status === 'ended' || Date.parse(event.endsAt) <= now.getTime();
      // Each room is checked once a minute, not at every tick: a room Janus lost (a restart) is back within a minute.
      const step = `${over ? 'close' : 'open'}:${event.id}`;
      const last = this.checked.get(step);
      if (last !== undefined && Math.abs(now.getTime() - last) < RECHECK_MS) continue;
      if (over) await provider.close(event.id);
      else await provider.open(this.spec(event));
      this.checked.set(step, now.getTime());
    }
    for (const [step, at] of this.checked) if (now.getTime() - at > CLOSE_WINDOW_MS) this.checked.delete(step);
  }

  /** Janus restarted and lost its rooms: the next tick opens those under way again. */
  forgetOpened(): void {
    this.checked.clear();
  }

  /** When this process last opened or closed each room (`open:<id>`, `close:<id>`), in the scheduler's time. */
  private readonly checked = new Map<string, number>();

  private provider(): RoomProvider {
    if (!this.deps.provider || !this.deps.available()) {
      throw refuse(ErrorCode.UNAVAILABLE, 'rooms-unavailable', 'Rooms are not running on this server: use the link of the event, if any');
    }
    return this.deps.provider;
  }

  private async roomEvent(eventId: string): Promise<Event> {
    const event = await this.deps.store.programme.getEvent(eventId);
    if (!event) throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${eventId}"`);
    if (event.room !== 'parvis') throw refuse(ErrorCode.NOT_FOUND, 'not-a-room', 'This event is not held in a Parvis room');
    return event;
  }

  private spec(event: Event): RoomSpec {
    return {
      key: event.id,
      title: event.title,
      // Everyone of a small group talks: one publisher per seat, plus the host.
      maxPublishers: event.capacity !== undefined ? Math.min(event.capacity + 1, 100) : DEFAULT_MAX_PUBLISHERS,
      opensAt: new Date(Date.parse(event.startsAt) - this.leadMs),
      endsAt: new Date(event.endsAt),
    };
  }

  /** Who the caller is in this room, or the refusal that says why they may not enter. */
  private async admit(event: Event, caller: RoomCaller): Promise<RoomMember & { personId?: string }> {
    if (this.deps.extension && (await this.deps.extension.byPhone(event.id))) {
      throw refuse(ErrorCode.CONFLICT, 'by-phone', 'This appointment is held by phone: you will be called');
    }
    let personId: string | null;
    let fallbackName: string | undefined;
    if ('user' in caller) {
      const role = await this.deps.policy.roleIn(caller.user, event.id);
      if (isEventStaff(role)) return { memberKey: `user:${caller.user.id}`, display: caller.user.displayName, host: isRoomStaff(role) };
      personId = personIdOf(caller.user);
      fallbackName = caller.user.displayName;
    } else {
      personId = caller.person.id;
      fallbackName = caller.person.name ?? undefined;
    }
    if (!personId) throw refuse(ErrorCode.FORBIDDEN, 'not-registered', 'Only the registrants and the staff of this event can enter its room');
    const registration = await this.deps.store.registrations.activeFor(event.id, personId);
    const display = registration?.name ?? fallbackName ?? '—';
    if (registration?.status === 'confirmed' && registration.erasedAt === null) return { memberKey: `person:${personId}`, display, host: false, personId };
    if (this.deps.extension && (await this.deps.extension.isMember(event.id, personId))) {
      return { memberKey: `person:${personId}`, display, host: false };
    }
    if (registration?.status === 'waitlisted' || registration?.status === 'offered') {
      throw refuse(ErrorCode.FORBIDDEN, 'waitlisted', 'You are on the waiting list: the room is for confirmed registrants');
    }
    throw refuse(ErrorCode.FORBIDDEN, 'not-registered', 'Only the registrants and the staff of this event can enter its room');
  }
}

/** How often the tick asks Janus again about a room it already opened or closed. */
const RECHECK_MS = 60_000;
/** Rooms of events that ended this long ago are still closed at each tick (in case a process missed the end). */
const CLOSE_WINDOW_MS = 6 * 3_600_000;

/** The registrant's user, as markJoined knows registrants. */
function registrantUser(personId: string, displayName: string): User {
  return { id: `${REGISTRANT_ID_PREFIX}${personId}`, displayName, role: 'registrant' };
}
