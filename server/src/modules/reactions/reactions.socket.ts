import type { Logger } from 'pino';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import { eventRoom } from '../../realtime/rooms';
import type { ReactionsService } from './reactions.service';

/** `reaction:send`: a click joins the next `reactions:burst` of the event's room. */
export function reactionHandlers(deps: { reactions: ReactionsService; log: Logger }): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    handle('reaction:send', async (payload, socket) => {
      await deps.reactions.send(socket.data.user, socket.rooms.has(eventRoom(payload.eventId)), payload);
      return {};
    });
  });
}
