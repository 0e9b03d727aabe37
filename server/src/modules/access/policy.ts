import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../errors';

/**
 * Who may enter an event's live room. Open events admit everyone, signed in or not. Sign-up and invitations
 * arrive with registrations and staff roles; until then only staff enter the other events.
 */
export function assertCanJoin(user: User | null, event: Event): void {
  if (event.access === 'open') return;
  if (user && (user.role === 'admin' || user.role === 'moderator' || user.role === 'speaker')) return;
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    event.access === 'registration'
      ? 'This event is for registered people only'
      : 'This event is for invited people only',
  );
}

/** Who may write in an event's chat. */
export function assertCanChat(user: User | null, event: Event): asserts user is User {
  if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to chat');
  assertCanJoin(user, event);
  if (event.status === 'cancelled' || event.status === 'ended') {
    throw new DomainError(ErrorCode.FORBIDDEN, `The chat is closed: the event has ${event.status === 'ended' ? 'ended' : 'been cancelled'}`);
  }
}
