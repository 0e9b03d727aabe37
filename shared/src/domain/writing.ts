import type { EventStatus } from './event';

/*
 * When an event is closed to writing. Once it has ended or been cancelled, its record is final for the audience:
 *
 * - closed, for everyone (staff included): chat messages, questions asked, votes on questions, votes in polls,
 *   reactions, and opening a poll (nobody could vote in it);
 * - still open, for the event's moderators: tidying up what is there — answering, rejecting, merging, starring and
 *   editing questions, deleting chat messages and reviewing held ones, closing polls, notes to the speakers, and the
 *   exports.
 *
 * A scheduled event is open: people may chat and ask ahead of the start, as in a lobby. The server refuses a closed
 * write with FORBIDDEN and the reason `event-closed`; the client shows the chat read-only and hides the composers.
 */

/** Why an event takes no more writing: it `ended` or was `cancelled`; null while it is open. */
export type ClosedBecause = Extract<EventStatus, 'ended' | 'cancelled'>;

export function closedBecause(status: EventStatus): ClosedBecause | null {
  return status === 'ended' || status === 'cancelled' ? status : null;
}

/** Whether the audience can no longer write in the event (chat, questions, votes, reactions). */
export function isClosedToWriting(status: EventStatus): boolean {
  return closedBecause(status) !== null;
}
