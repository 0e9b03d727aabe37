import { eventRoom, eventStaffRoom } from '../../realtime/rooms';
import type { ParvisServer } from '../../realtime/types';
import { audiencePollView, staffPollView, type PollsListener } from './polls.service';

/**
 * The listener the composition root gives the polls service. Each socket gets one copy of a changed poll:
 * - the event's staff room (moderators, admins): every poll whole, drafts and deletions included;
 * - the rest of the event's room: open and closed polls only, results null while an `after-close` poll is open.
 */
export function socketPollsListener(io: ParvisServer): PollsListener {
  return (eventId, { polls, removed }) => {
    const staff = eventStaffRoom(eventId);
    io.to(staff).emit('polls:updated', {
      eventId,
      polls: polls.map(staffPollView),
      ...(removed?.length && { removed }),
    });
    const audience = polls.flatMap((p) => audiencePollView(p) ?? []);
    if (audience.length) io.to(eventRoom(eventId)).except(staff).emit('polls:updated', { eventId, polls: audience });
  };
}
