import type { Logger } from 'pino';
import { eventRoom } from '#shared/protocol/events';
import { ReactionPayload } from '#shared/protocol/payloads';
import { handle } from '../../realtime/handler';
import type { ParvisSocket } from '../../realtime/types';
import type { ReactionsService } from './reactions.service';

/** `reaction:send`: a click joins the next `reactions:burst` of the event's room. */
export function registerReactionHandlers(socket: ParvisSocket, deps: { reactions: ReactionsService; log: Logger }): void {
  handle(socket, deps.log, 'reaction:send', ReactionPayload, async (payload) => {
    await deps.reactions.send(socket.data.user, socket.rooms.has(eventRoom(payload.eventId)), payload);
    return {};
  });
}
