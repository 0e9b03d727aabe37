import type { Logger } from 'pino';
import type { Event } from '#shared/domain/event';
import { ADMINS_ROOM, eventRoom, eventStaffRoom } from '../../realtime/rooms';
import type { Presence } from '../../realtime/presence';
import type { ParvisServer } from '../../realtime/types';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeListener } from './programme.service';

/**
 * Tells every connected socket, on every process, about a changed or deleted event: the programme page and the
 * event's room both update at once.
 *
 * An invite-only event's stream and replay must not reach people without a role in it: sockets in the event's room
 * (only its staff and admins get in) and admins get the event whole, everyone else gets it without them.
 */
export function socketProgrammeListener(
  io: ParvisServer,
  policy: AccessPolicy,
  presence: Presence,
  log: Logger,
): ProgrammeListener {
  return {
    async eventChanged(event: Event, before: Event | undefined) {
      if (before && before.access === 'open' && event.access !== 'open') {
        await evictOutsiders(io, policy, presence, event).catch((err: unknown) =>
          log.warn({ err, eventId: event.id }, 'could not remove viewers from an event that was closed'),
        );
      }
      if (event.access === 'invite') {
        const insiders = [eventRoom(event.id), ADMINS_ROOM];
        io.to(insiders).emit('event:updated', { event });
        io.except(insiders).emit('event:updated', { event: policy.visible(event, 'guest') });
      } else {
        io.emit('event:updated', { event });
      }
    },

    async eventDeleted(eventId: string) {
      io.emit('event:deleted', { eventId });
      io.in(eventRoom(eventId)).socketsLeave(eventRoom(eventId));
      // Roles go with the event: its staff room must not carry over to an event created again under the same id.
      io.in(eventStaffRoom(eventId)).socketsLeave(eventStaffRoom(eventId));
      presence.changed(eventId);
    },
  };
}

/** An open event became registration- or invite-only: viewers who may no longer be there leave its room. */
async function evictOutsiders(io: ParvisServer, policy: AccessPolicy, presence: Presence, event: Event): Promise<void> {
  const room = eventRoom(event.id);
  const sockets = await io.in(room).fetchSockets();
  for (const socket of sockets) {
    const allowed = await policy.assertCanJoin(socket.data.user, event).then(
      () => true,
      () => false,
    );
    if (!allowed) socket.leave(room);
  }
  presence.changed(event.id);
}
