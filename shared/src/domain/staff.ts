import type { Role } from './user';

/*
 * Who counts as staff of an event, for both sides: the server decides with these, and the client shows or hides
 * what follows from them. `role` is a person's effective role in the event (`admin`, then the event's own `moderator`
 * or `speaker`, then `registrant` or `guest`), never the global one of a token.
 */

/**
 * The event's moderators and the programme's admins: they run the live room. No moderator's rule binds them (rate
 * limits, slow mode, the word filter, sanctions), nobody can sanction them, they see every question and poll whole,
 * and they receive the moderators' own state.
 */
export function isRoomStaff(role: Role | null | undefined): boolean {
  return role === 'moderator' || role === 'admin';
}

/**
 * The event's staff: those who run the room, its speakers and its captioners. Staff get in whatever the event's access
 * (invite-only or registration), see its stream and replay, open the stage view and read the moderators' backstage
 * notes. A captioner must hear the event to caption it, and the notes tell them what comes next.
 */
export function isEventStaff(role: Role | null | undefined): boolean {
  return role === 'speaker' || role === 'captioner' || isRoomStaff(role);
}
