import type { Event } from '#shared/domain/event';
import { isEventStaff, isRoomStaff } from '#shared/domain/staff';
import { displayNameKey, type Role, type User } from '#shared/domain/user';
import { closedBecause } from '#shared/domain/writing';
import { ErrorCode } from '#shared/protocol/errors';
import type { Store } from '../../store/store';
import { DomainError, FieldError } from '../../core/errors';
import { personIdOf } from './token.service';

/** What a closed event refuses (`shared/src/domain/writing.ts`), for the refusal's message. */
export type Writing = 'chat' | 'questions' | 'votes' | 'polls' | 'reactions' | 'captions';

const CLOSED_WHAT: Record<Writing, string> = {
  chat: 'The chat is closed',
  questions: 'Questions are closed',
  votes: 'Voting is closed',
  polls: 'Polls are closed',
  reactions: 'Reactions are closed',
  captions: 'Captions are closed',
};

/**
 * Who may do what, event by event. Per-event roles are read from the store for every decision, never from a token,
 * so a role taken back is gone for the next action.
 */
export class AccessPolicy {
  constructor(private readonly store: Store) {}

  /**
   * A person's effective role in an event: `admin`, then the event's `moderator` or `speaker`, then `registrant` (a
   * person who signed up, with a confirmed registration for this event whose data is not erased), then `guest` (a
   * staff account without a role in this event, a guest, a registrant of another event, or nobody).
   */
  async roleIn(user: User | null, eventId: string): Promise<Role> {
    if (!user) return 'guest';
    if (user.role === 'admin') return 'admin';
    if (user.role === 'registrant') {
      const personId = personIdOf(user);
      const registration = personId ? await this.store.registrations.activeFor(eventId, personId) : undefined;
      return registration?.status === 'confirmed' && registration.erasedAt === null ? 'registrant' : 'guest';
    }
    // Guests have no account, so no role anywhere: no store round trip on the chat's hottest path.
    if (user.role !== 'staff') return 'guest';
    return (await this.store.accounts.roleIn(eventId, user.id)) ?? 'guest';
  }

  /** Whether someone with this role sees an event's stream and replay: invite-only events hide them from others. */
  canSeeMedia(role: Role, event: Event): boolean {
    return event.access !== 'invite' || isEventStaff(role);
  }

  /** The event as this role may see it: without its stream, replay and thumbnail when they are not theirs to watch. */
  visible(event: Event, role: Role): Event {
    if (this.canSeeMedia(role, event)) return event;
    const stripped = { ...event };
    delete stripped.streamUrl;
    delete stripped.replayUrl;
    // A frame of the recording is the recording's, too.
    delete stripped.thumbnailUrl;
    return stripped;
  }

  /** Events as a person sees them in the programme; one role lookup per invite-only event, none for guests. */
  async visibleEvents(user: User | null, events: Event[]): Promise<Event[]> {
    return Promise.all(
      events.map(async (event) => (event.access === 'invite' ? this.visible(event, await this.roleIn(user, event.id)) : event)),
    );
  }

  /**
   * Lets a person into an event's live room and answers their role there, or refuses with FORBIDDEN: an open event
   * takes anyone, a registration event its confirmed registrants and its staff, an invite-only event its staff.
   */
  async assertCanJoin(user: User | null, event: Event): Promise<Role> {
    const role = await this.roleIn(user, event.id);
    if (event.access === 'open' || isEventStaff(role)) return role;
    if (event.access === 'registration' && role === 'registrant') return role;
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      event.access === 'registration'
        ? 'This event is for registered people only'
        : 'This event is for invited people only',
    );
  }

  /** Lets a person write in an event's chat and answers the role their messages carry. */
  async assertCanChat(user: User | null, event: Event): Promise<Role> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to chat');
    const role = await this.assertCanJoin(user, event);
    this.assertOpenToWriting(event, 'chat');
    return role;
  }

  /**
   * Refuses, with FORBIDDEN and the reason `event-closed`, what an ended or cancelled event no longer takes (the rule
   * is `shared/src/domain/writing.ts`).
   */
  assertOpenToWriting(event: Event, what: Writing): void {
    const closed = closedBecause(event.status);
    if (!closed) return;
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `${CLOSED_WHAT[what]}: the event has ${closed === 'ended' ? 'ended' : 'been cancelled'}`,
      undefined,
      'event-closed',
    );
  }

  /** Moderators of this event and admins run its live room (go live, end it); nobody else. */
  async assertCanModerate(user: User | null, eventId: string): Promise<Role> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this');
    const role = await this.roleIn(user, eventId);
    if (isRoomStaff(role)) return role;
    throw new DomainError(ErrorCode.FORBIDDEN, 'Only the moderators of this event can do this');
  }

  /** Programme admins only. */
  assertAdmin(user: User | null): asserts user is User {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this');
    if (user.role !== 'admin') throw new DomainError(ErrorCode.FORBIDDEN, 'Only programme admins can do this');
  }

  /**
   * Refuses a guest's name that an event's staff go by: its announced speakers, and the people holding a role in it.
   * Names are compared once normalised, without case and width ({@link displayNameKey}), so "marie lenoir" cannot pass
   * for "Marie Lenoir". An event that does not exist reserves nothing.
   */
  async assertNameAvailable(displayName: string, eventId: string): Promise<void> {
    const event = await this.store.programme.getEvent(eventId);
    if (event && (await this.isNameReserved(displayName, event))) throw nameReserved();
  }

  /** Whether an event's staff (its announced speakers, the holders of a role in it) go by this name. */
  async isNameReserved(displayName: string, event: Pick<Event, 'id' | 'speakers'>): Promise<boolean> {
    const roles = await this.store.accounts.listRoles(event.id);
    const key = displayNameKey(displayName);
    return [...event.speakers.map((s) => s.name), ...roles.map((r) => r.displayName)].some((name) => displayNameKey(name) === key);
  }

}

/** A guest's name that an event's staff go by: refused for signing in to it, and for writing in it. */
export const nameReserved = (): FieldError =>
  new FieldError({ displayName: 'is the name of a speaker or moderator of this event: choose another' }, ErrorCode.CONFLICT);
