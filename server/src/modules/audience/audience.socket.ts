import type { Logger } from 'pino';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import { eventRoom } from '../../realtime/rooms';
import type { ParvisSocket } from '../../realtime/types';
import type { AudienceTracker } from './audience-tracker';

/**
 * Who a heartbeat counts for: the account or guest id; an anonymous viewer (no token) counts by its socket, which
 * lives as long as the page. Never an address (docs/audience.md).
 */
export const personOf = (socket: ParvisSocket): string => (socket.data.user ? `user:${socket.data.user.id}` : `socket:${socket.id}`);

/**
 * `viewer:heartbeat`: only from a socket in the event's room, so that the room's access rules (registration,
 * invitation, bans) hold for the figures too; replay viewers are in the room of the ended event as well. A socket that
 * goes away is credited the time since its last heartbeat.
 */
export function audienceHandlers(deps: { tracker: AudienceTracker; log: Logger }): SocketHandler[] {
  return defineHandlers(deps.log, (handle, on) => {
    handle('viewer:heartbeat', async (payload, socket) => {
      if (!socket.rooms.has(eventRoom(payload.eventId))) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'Join the event before sending heartbeats');
      }
      await deps.tracker.beat(socket.id, personOf(socket), payload);
      return {};
    });
    on('disconnecting', (socket) => {
      void deps.tracker.leave(socket.id).catch((err: unknown) => deps.log.warn({ err }, 'could not credit a leaving viewer’s watch time'));
    });
  });
}
